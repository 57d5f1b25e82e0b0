using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TypedPyro.Generators.Model;

namespace TypedPyro.Generators.Parsing;

/// <summary>Turns a <c>[PyroDto]</c> type into a <see cref="DtoModel"/>.</summary>
internal static class DtoParser
{
    public static DtoModel? Parse(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var attribute = Symbols.Attribute(type, Symbols.PyroDtoAttribute);
        if (attribute is null) return null;
        string className = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string s ? s : "";
        string? skip = DtoRules.SkipReason(type) ?? (className.Length == 0 ? "[PyroDto] needs a wire class name" : null);
        string hint = Symbols.HintName(type);
        string? ns = Symbols.Namespace(type);
        string fullType = Symbols.DisplayNotAnnotated(type);
        if (skip is not null)
        {
            return new DtoModel(hint, ns, "", fullType, className, skip, EquatableArray<DtoPropertyModel>.Empty, null, EquatableArray<DtoArgumentModel>.Empty, false);
        }

        var properties = PublicProperties(type, cancellationToken);
        var constructor = ChooseConstructor(type, out string? readUnsupported);
        var arguments = new List<DtoArgumentModel>();
        var boundByConstructor = new HashSet<IPropertySymbol>(SymbolEqualityComparer.Default);
        if (constructor is not null)
        {
            foreach (var parameter in constructor.Parameters)
            {
                var property = Match(properties, parameter.Name);
                string? read = property is null ? null : TypeConverters.Expression(parameter.Type, Key(WireName(property)));
                if (parameter.RefKind is not (RefKind.None or RefKind.In) || property is null || read is null)
                {
                    readUnsupported = "constructor parameter '" + parameter.Name + "' "
                        + (property is null ? "matches no public property" : read is null ? "has an unsupported type " + Symbols.Display(parameter.Type) : "is passed by reference");
                    arguments.Clear();
                    break;
                }
                boundByConstructor.Add(property);
                arguments.Add(new DtoArgumentModel(WireName(property), read, parameter.IsOptional ? Literals.DefaultValue(parameter) : null));
            }
        }

        bool supportsWith = type.IsRecord || type.IsValueType;
        var models = new List<DtoPropertyModel>();
        foreach (var property in properties)
        {
            string wireName = WireName(property);
            string? read = TypeConverters.Expression(property.Type, Key(wireName));
            var binding = DtoBinding.None;
            if (read is not null && !boundByConstructor.Contains(property) && property.SetMethod is { DeclaredAccessibility: Accessibility.Public } setter)
            {
                binding = property.IsRequired ? DtoBinding.Initializer
                    : setter.IsInitOnly ? (supportsWith ? DtoBinding.With : DtoBinding.Initializer)
                    : DtoBinding.Setter;
            }
            models.Add(new DtoPropertyModel(
                Symbols.Identifier(property.Name),
                wireName,
                read,
                binding,
                read is null ? "unsupported property type " + Symbols.Display(property.Type) : null,
                WireTypes.Of(property.Type)));
        }
        foreach (var property in properties)
        {
            // A required property the reader cannot set makes the type unreadable.
            if (property.IsRequired && !boundByConstructor.Contains(property) && TypeConverters.Expression(property.Type, "v") is null)
                readUnsupported ??= "required property '" + property.Name + "' has an unsupported type";
        }

        return new DtoModel(
            hint,
            ns,
            Declaration(type),
            fullType,
            className,
            null,
            EquatableArray.From(models),
            readUnsupported,
            readUnsupported is null ? EquatableArray.From(arguments) : EquatableArray<DtoArgumentModel>.Empty,
            HidesBaseReader(type));
    }

    private static bool HidesBaseReader(INamedTypeSymbol type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (!t.GetMembers("FromWireValue").IsEmpty) return true;
        }
        return false;
    }

    /// <summary>The expression reading a key of the wire dictionary <c>map</c>.</summary>
    private static string Key(string wireName) => "map[" + Literals.String(wireName) + "]";

    private static string WireName(IPropertySymbol property) => Symbols.PyroName(property) ?? property.Name;

    private static string Declaration(INamedTypeSymbol type)
    {
        string name = Symbols.Identifier(type.Name);
        if (type.IsValueType)
            return (type.IsReadOnly ? "readonly " : "") + "partial " + (type.IsRecord ? "record struct " : "struct ") + name;
        return "partial " + (type.IsRecord ? "record " : "class ") + name;
    }

    /// <summary>Public readable instance properties, base types' first; a redeclared property keeps its first place.</summary>
    private static List<IPropertySymbol> PublicProperties(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var t = type; t is not null && t.SpecialType != SpecialType.System_Object && t.SpecialType != SpecialType.System_ValueType; t = t.BaseType)
        {
            chain.Add(t);
        }
        var winners = new Dictionary<string, IPropertySymbol>(StringComparer.Ordinal);
        foreach (var t in chain)
        {
            foreach (var member in t.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member is IPropertySymbol { IsStatic: false, IsIndexer: false, DeclaredAccessibility: Accessibility.Public, GetMethod.DeclaredAccessibility: Accessibility.Public } p
                    && !winners.ContainsKey(p.Name))
                {
                    winners[p.Name] = p;
                }
            }
        }
        var result = new List<IPropertySymbol>();
        var added = new HashSet<string>(StringComparer.Ordinal);
        for (int i = chain.Count - 1; i >= 0; i--)
        {
            foreach (var member in chain[i].GetMembers())
            {
                if (member is IPropertySymbol p && winners.TryGetValue(p.Name, out var winner) && added.Add(p.Name)) result.Add(winner);
            }
        }
        return result;
    }

    private static IPropertySymbol? Match(List<IPropertySymbol> properties, string parameterName)
    {
        IPropertySymbol? insensitive = null;
        foreach (var p in properties)
        {
            if (p.Name == parameterName) return p;
            if (insensitive is null && string.Equals(p.Name, parameterName, StringComparison.OrdinalIgnoreCase)) insensitive = p;
        }
        return insensitive;
    }

    private static IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, out string? unsupported)
    {
        unsupported = null;
        if (type.IsAbstract)
        {
            unsupported = "an abstract type cannot be constructed";
            return null;
        }
        IMethodSymbol? implicitParameterless = null;
        IMethodSymbol? parameterless = null;
        var explicitOnes = new List<IMethodSymbol>();
        foreach (var constructor in type.InstanceConstructors)
        {
            if (constructor.DeclaredAccessibility != Accessibility.Public) continue;
            if (type.IsRecord && constructor.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type, type)) continue;
            if (IsPrimary(constructor)) return constructor;
            if (constructor.IsImplicitlyDeclared)
            {
                if (constructor.Parameters.Length == 0) implicitParameterless = constructor;
                continue;
            }
            explicitOnes.Add(constructor);
            if (constructor.Parameters.Length == 0) parameterless = constructor;
        }
        if (explicitOnes.Count == 1) return explicitOnes[0];
        if (explicitOnes.Count == 0 && implicitParameterless is not null) return implicitParameterless;
        if (parameterless is not null) return parameterless;
        unsupported = explicitOnes.Count == 0 ? "no public constructor" : "several public constructors and none without parameters";
        return null;
    }

    private static bool IsPrimary(IMethodSymbol constructor)
    {
        foreach (var reference in constructor.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is TypeDeclarationSyntax) return true;
        }
        return false;
    }
}

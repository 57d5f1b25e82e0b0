using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TypedPyro.Analyzers;

/// <summary>
/// Per-type checks of remote contracts: exposure (TPY1xxx), shapes the generator skips (TPY2xxx) and wire types
/// (TPY3xxx). Works on symbols only; json-only checks run when the project sets <c>TypedPyroSerializer=json</c>.
/// </summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class ContractAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The MSBuild property (made compiler-visible) that declares the project's serializer.</summary>
    public const string SerializerProperty = "build_property.TypedPyroSerializer";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.ClassExposed, Descriptors.InheritedMembersLeak, Descriptors.PrivateWireName,
        Descriptors.GenericMethod, Descriptors.GenericContract, Descriptors.ByRefParameter, Descriptors.OnewayWithResult,
        Descriptors.CancellationTokenNotLast, Descriptors.DuplicateWireName,
        Descriptors.NotCrossable, Descriptors.NotJsonCrossable, Descriptors.LargeBinaryPayload);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            bool json = start.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(SerializerProperty, out var serializer)
                && string.Equals(serializer?.Trim(), "json", StringComparison.OrdinalIgnoreCase);
            start.RegisterSymbolAction(c => AnalyzeType(c, json), SymbolKind.NamedType);
            start.RegisterSymbolAction(AnalyzeOneway, SymbolKind.Method);
        });
    }

    private static void AnalyzeOneway(SymbolAnalysisContext context)
    {
        var method = (IMethodSymbol)context.Symbol;
        var oneway = PyroModel.FindAttribute(method, PyroModel.OnewayAttribute);
        if (oneway is null || method.ReturnType.TypeKind == TypeKind.Error || PyroModel.IsNoResult(method.ReturnType)) return;
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.OnewayWithResult,
            PyroModel.AttributeLocation(oneway, method, context.CancellationToken),
            method.Name, method.ReturnType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
    }

    private static void AnalyzeType(SymbolAnalysisContext context, bool json)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var cancellationToken = context.CancellationToken;
        if (type.TypeKind is TypeKind.Class or TypeKind.Struct)
        {
            var expose = PyroModel.FindAttribute(type, PyroModel.ExposeAttribute);
            if (expose is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.ClassExposed,
                    PyroModel.AttributeLocation(expose, type, cancellationToken), type.Name, ClassExposedHint(type)));
            }
            return;
        }
        if (type.TypeKind != TypeKind.Interface) return;

        bool exposed = PyroModel.HasAttribute(type, PyroModel.ExposeAttribute);
        var own = new List<ISymbol>();
        foreach (var member in type.GetMembers())
        {
            if (PyroModel.IsRemoteMember(member, type, exposed)) own.Add(member);
        }
        if (!exposed && own.Count == 0) return;

        if (type.TypeParameters.Length > 0)
        {
            // The generator skips the whole interface: checking its members would only add noise.
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.GenericContract, PyroModel.NameLocation(type), type.Name));
            return;
        }

        foreach (var member in own)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string wireName = PyroModel.WireName(member, type);
            if (PyroModel.IsPrivateName(wireName))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.PrivateWireName, PyroModel.NameLocation(member), member.Name, wireName));
            }
            if (member is IMethodSymbol method) CheckMethod(context, method, json);
            else if (member is IPropertySymbol property) CheckProperty(context, property, json);
        }

        if (exposed) CheckInheritedLeaks(context, type);
        CheckDuplicateWireNames(context, type);
    }

    private static string ClassExposedHint(INamedTypeSymbol type)
    {
        foreach (var candidate in type.AllInterfaces)
        {
            if (PyroModel.IsExposedInterface(candidate)) return $" (it already implements [Expose] interface '{candidate.Name}': remove the attribute from the class)";
        }
        foreach (var candidate in type.Interfaces)
        {
            if (candidate.Locations.Any(l => l.IsInSource)) return $" (move it to '{candidate.Name}')";
        }
        return " (extract one, e.g. 'I" + type.Name + "')";
    }

    private static void CheckMethod(SymbolAnalysisContext context, IMethodSymbol method, bool json)
    {
        var cancellationToken = context.CancellationToken;
        if (method.IsGenericMethod)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.GenericMethod, PyroModel.NameLocation(method), method.Name));
            return;
        }

        var parameters = method.Parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            if (parameter.RefKind != RefKind.None)
            {
                string kind = parameter.RefKind switch { RefKind.Out => "out", RefKind.In => "in", RefKind.Ref => "ref", _ => "ref readonly" };
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.ByRefParameter, PyroModel.NameLocation(parameter), parameter.Name, method.Name, kind));
                continue;
            }
            if (PyroModel.IsCancellationToken(parameter.Type))
            {
                if (i != parameters.Length - 1)
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.CancellationTokenNotLast, PyroModel.NameLocation(parameter), parameter.Name, method.Name));
                continue;
            }
            var location = new Lazy<Location>(() => PyroModel.ParameterTypeLocation(parameter, cancellationToken));
            CheckType(context, parameter.Type, method.Name, location, json);
            if (WireTypes.IsBinaryPayload(parameter.Type))
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.LargeBinaryPayload, location.Value, $"Parameter '{parameter.Name}'", method.Name, Display(parameter.Type)));
        }

        var result = method.ReturnType;
        if (result.SpecialType == SpecialType.System_Void) return;
        var resultLocation = new Lazy<Location>(() => PyroModel.ReturnTypeLocation(method, cancellationToken));
        if (PyroModel.IsAwaitable(result))
        {
            var named = (INamedTypeSymbol)result;
            if (named.Arity == 0) return;
            result = named.TypeArguments[0];
        }
        if (result is INamedTypeSymbol { Arity: 1 } iterator && iterator.Name is "IEnumerable" or "IAsyncEnumerable"
            && PyroModel.IsNamespace(iterator.ContainingNamespace, "System.Collections.Generic"))
        {
            // A remote iterator: its items cross one by one (chunks of byte[] are the recommended way to stream).
            CheckType(context, iterator.TypeArguments[0], method.Name, resultLocation, json);
            return;
        }
        CheckType(context, result, method.Name, resultLocation, json);
        if (WireTypes.IsBinaryPayload(result))
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.LargeBinaryPayload, resultLocation.Value, "The result", method.Name, Display(result)));
    }

    private static void CheckProperty(SymbolAnalysisContext context, IPropertySymbol property, bool json)
    {
        var location = new Lazy<Location>(() => PyroModel.PropertyTypeLocation(property, context.CancellationToken));
        CheckType(context, property.Type, property.Name, location, json);
        if (WireTypes.IsBinaryPayload(property.Type))
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.LargeBinaryPayload, location.Value, "The value", property.Name, Display(property.Type)));
    }

    private static void CheckType(SymbolAnalysisContext context, ITypeSymbol type, string memberName, Lazy<Location> location, bool json)
    {
        if (WireTypes.Check(type, json) is not { } problem) return;
        var descriptor = problem.JsonOnly ? Descriptors.NotJsonCrossable : Descriptors.NotCrossable;
        context.ReportDiagnostic(Diagnostic.Create(descriptor, location.Value, Display(problem.Type), memberName, problem.Reason));
    }

    private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

    private static void CheckInheritedLeaks(SymbolAnalysisContext context, INamedTypeSymbol type)
    {
        foreach (var inherited in type.AllInterfaces)
        {
            if (PyroModel.HasAttribute(inherited, PyroModel.ExposeAttribute)) continue;
            // Reported on the [Expose] base that brings it in, if any.
            bool viaExposedBase = false;
            foreach (var other in type.AllInterfaces)
            {
                if (PyroModel.HasAttribute(other, PyroModel.ExposeAttribute) && other.AllInterfaces.Contains(inherited, SymbolEqualityComparer.Default))
                {
                    viaExposedBase = true;
                    break;
                }
            }
            if (viaExposedBase) continue;

            var leaked = new List<string>();
            foreach (var member in inherited.GetMembers())
            {
                if (PyroModel.IsCandidateMember(member) && !PyroModel.HasAttribute(member, PyroModel.ExposeAttribute)) leaked.Add(member.Name);
            }
            if (leaked.Count == 0) continue;
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.InheritedMembersLeak, BaseTypeLocation(type, inherited, context.CancellationToken),
                type.Name, inherited.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), string.Join(", ", leaked.Distinct())));
        }
    }

    private static Location BaseTypeLocation(INamedTypeSymbol type, INamedTypeSymbol inherited, CancellationToken cancellationToken)
    {
        if (type.Interfaces.Contains(inherited, SymbolEqualityComparer.Default))
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax { BaseList: { } baseList }) continue;
                foreach (var baseType in baseList.Types)
                {
                    var name = baseType.Type switch
                    {
                        QualifiedNameSyntax q => q.Right.Identifier.ValueText,
                        AliasQualifiedNameSyntax a => a.Name.Identifier.ValueText,
                        SimpleNameSyntax s => s.Identifier.ValueText,
                        _ => null,
                    };
                    if (name == inherited.Name) return baseType.GetLocation();
                }
            }
        }
        return PyroModel.NameLocation(type);
    }

    private static void CheckDuplicateWireNames(SymbolAnalysisContext context, INamedTypeSymbol type)
    {
        var members = PyroModel.RemoteMembers(type);
        if (members.Count < 2) return;
        var byName = new Dictionary<string, List<ISymbol>>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            string wireName = PyroModel.WireName(member, type);
            if (!byName.TryGetValue(wireName, out var list)) byName[wireName] = list = new List<ISymbol>();
            if (!list.Contains(member, SymbolEqualityComparer.Default)) list.Add(member);
        }
        foreach (var pair in byName)
        {
            var list = pair.Value;
            if (list.Count < 2) continue;
            bool anyOwn = false;
            for (int i = 0; i < list.Count; i++)
            {
                if (!SymbolEqualityComparer.Default.Equals(list[i].ContainingType, type)) continue;
                anyOwn = true;
                if (i == 0) continue; // the first one keeps the name; later ones collide with it
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.DuplicateWireName, PyroModel.NameLocation(list[i]),
                    list[i].Name, pair.Key, MemberDisplay(list[0]), type.Name));
            }
            if (!anyOwn && list.Select(m => m.ContainingType).Distinct<INamedTypeSymbol>(SymbolEqualityComparer.Default).Count() > 1)
            {
                // Two base interfaces collide: only the contract that combines them can say so.
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.DuplicateWireName, PyroModel.NameLocation(type),
                    MemberDisplay(list[1]), pair.Key, MemberDisplay(list[0]), type.Name));
            }
        }
    }

    private static string MemberDisplay(ISymbol member) => member.ContainingType.Name + "." + member.Name;
}

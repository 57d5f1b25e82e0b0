using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using TypedPyro.Generators.Model;

namespace TypedPyro.Generators.Parsing;

/// <summary>Contract methods: signature, call shape, wire names, converters, and the reasons a method is skipped.</summary>
internal static class MethodParser
{
    public static MemberModel Parse(IMethodSymbol method, string declaringType, string display, bool remote, int policy)
    {
        var (shape, result) = Classify(method);
        bool awaitable = shape is CallShape.Task or CallShape.TaskOfT or CallShape.ValueTask or CallShape.ValueTaskOfT or CallShape.AsyncStream;
        string wireName = Symbols.PyroName(method) ?? WireNames.Apply(policy, awaitable ? WireNames.DropAsyncSuffix(method.Name) : method.Name);
        bool oneway = Symbols.Has(method, Symbols.OnewayAttribute);
        var parameters = Parameters(method.Parameters, policy);
        string? converter = result is null ? null : TypeConverters.Lambda(result);

        string? skip = remote ? SkipReason(method, shape, result, converter, oneway, wireName, parameters) : null;

        string type = Symbols.UnsafePrefix(method.ReturnType, method.Parameters) + (method.ReturnsByRefReadonly ? "ref readonly " : method.ReturnsByRef ? "ref " : "")
            + (method.ReturnsVoid ? "void" : Symbols.Display(method.ReturnType));
        var typeParameters = new List<string>();
        var constraints = new List<string>();
        foreach (var typeParameter in method.TypeParameters)
        {
            typeParameters.Add(Symbols.Identifier(typeParameter.Name));
            // An explicit implementation inherits constraints; it may (and for T? must) restate class/struct/default.
            string constraint = typeParameter.HasReferenceTypeConstraint ? "class"
                : typeParameter.HasValueTypeConstraint ? "struct"
                : "default";
            constraints.Add("where " + Symbols.Identifier(typeParameter.Name) + " : " + constraint);
        }

        return new MemberModel(
            MemberKind.Method,
            Symbols.Identifier(method.Name),
            display,
            declaringType,
            remote,
            wireName,
            skip,
            type,
            parameters,
            EquatableArray.From(typeParameters),
            EquatableArray.From(constraints),
            shape,
            result is null ? null : Symbols.Display(result),
            converter,
            null,
            oneway,
            false,
            false,
            false,
            (shape is CallShape.Value or CallShape.TaskOfT or CallShape.ValueTaskOfT) && TypeConverters.MayLookLikeIterator(result),
            WireType: shape is CallShape.Stream or CallShape.AsyncStream ? "iterator[" + WireTypes.Of(result) + "]" : WireTypes.Of(result));
    }

    /// <summary>The parameters of a method or indexer.</summary>
    public static EquatableArray<ParameterModel> Parameters(IEnumerable<IParameterSymbol> symbols, int policy)
    {
        var parameters = new List<ParameterModel>();
        foreach (var p in symbols)
        {
            bool isToken = Symbols.Is(p.Type, "System.Threading", "CancellationToken");
            // out parameters are implicitly scoped; anything else scoped says so.
            string modifiers = (p.ScopedKind != ScopedKind.None && p.RefKind != RefKind.Out ? "scoped " : "") + p.RefKind switch
            {
                RefKind.Ref => "ref ",
                RefKind.Out => "out ",
                RefKind.In => "in ",
                RefKind.RefReadOnlyParameter => "ref readonly ",
                _ => "",
            };
            parameters.Add(new ParameterModel(
                Symbols.Identifier(p.Name),
                Symbols.Display(p.Type),
                modifiers,
                Symbols.PyroName(p) ?? WireNames.Apply(policy, p.Name),
                isToken ? null : TypeConverters.Lambda(p.Type),
                isToken,
                p.IsOptional,
                p.IsOptional ? Literals.DefaultValue(p) : null,
                WireTypes.Of(p.Type)));
        }
        return EquatableArray.From(parameters);
    }

    private static string? SkipReason(IMethodSymbol method, CallShape shape, ITypeSymbol? result, string? converter, bool oneway, string wireName, EquatableArray<ParameterModel> parameters)
    {
        if (method.IsGenericMethod) return "generic methods are not supported";
        if (method.ReturnsByRef || method.ReturnsByRefReadonly) return "ref returns are not supported";
        if (oneway && shape is not (CallShape.Void or CallShape.Task or CallShape.ValueTask)) return "a [Oneway] method must return void, Task or ValueTask";
        if (NameProblem(wireName) is { } nameProblem) return nameProblem;

        var names = new HashSet<string>(System.StringComparer.Ordinal);
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            var symbol = method.Parameters[i];
            if (symbol.RefKind != RefKind.None) return "ref, out and in parameters are not supported";
            if (p.IsCancellationToken)
            {
                if (i != parameters.Count - 1) return "a CancellationToken must be the last parameter";
                continue;
            }
            if (p.Converter is null) return "parameter '" + symbol.Name + "' has an unsupported type " + p.Type;
            if (NameProblem(p.WireName) is { } problem) return "parameter '" + symbol.Name + "': " + problem;
            if (!names.Add(p.WireName)) return "duplicate parameter wire name '" + p.WireName + "'";
        }
        if (result is not null && converter is null) return "unsupported result type " + Symbols.Display(result);
        return null;
    }

    /// <summary>Why a wire name cannot be used, or null.</summary>
    public static string? NameProblem(string wireName)
    {
        if (wireName.Length == 0) return "an empty wire name";
        if (Shared.PyroPrivateNames.IsPrivate(wireName)) return "wire name '" + wireName + "' is private in Pyro";
        return null;
    }

    private static (CallShape Shape, ITypeSymbol? Result) Classify(IMethodSymbol method)
    {
        if (method.ReturnsVoid) return (CallShape.Void, null);
        var type = method.ReturnType;
        if (type is INamedTypeSymbol { IsGenericType: true } generic)
        {
            var argument = generic.TypeArguments[0];
            if (Symbols.Is(type, "System.Threading.Tasks", "Task", 1)) return (CallShape.TaskOfT, argument);
            if (Symbols.Is(type, "System.Threading.Tasks", "ValueTask", 1)) return (CallShape.ValueTaskOfT, argument);
            if (Symbols.Is(type, "System.Collections.Generic", "IEnumerable", 1)) return (CallShape.Stream, argument);
            if (Symbols.Is(type, "System.Collections.Generic", "IAsyncEnumerable", 1)) return (CallShape.AsyncStream, argument);
        }
        if (Symbols.Is(type, "System.Threading.Tasks", "Task")) return (CallShape.Task, null);
        if (Symbols.Is(type, "System.Threading.Tasks", "ValueTask")) return (CallShape.ValueTask, null);
        return (CallShape.Value, type);
    }
}

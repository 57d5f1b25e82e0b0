using Microsoft.CodeAnalysis;
using TypedPyro.Generators.Model;

namespace TypedPyro.Generators.Parsing;

/// <summary>Contract properties (remote attributes) and indexers (never remote).</summary>
internal static class PropertyParser
{
    public static MemberModel Parse(IPropertySymbol property, string declaringType, string display, bool remote, int policy)
    {
        string type = Symbols.UnsafePrefix(property.Type, property.Parameters) + (property.ReturnsByRefReadonly ? "ref readonly " : property.ReturnsByRef ? "ref " : "") + Symbols.Display(property.Type);
        bool hasGetter = property.GetMethod is not null;
        bool hasSetter = property.SetMethod is not null;
        bool initOnly = property.SetMethod is { IsInitOnly: true };

        if (property.IsIndexer)
        {
            return new MemberModel(
                MemberKind.Indexer, "this", display.Substring(0, display.LastIndexOf('.') + 1) + "this[]", declaringType, remote, "",
                remote ? "indexers are not supported" : null, type,
                MethodParser.Parameters(property.Parameters, policy), EquatableArray<string>.Empty, EquatableArray<string>.Empty,
                CallShape.Value, null, null, null, false, hasGetter, hasSetter, initOnly, false);
        }

        string wireName = Symbols.PyroName(property) ?? WireNames.Apply(policy, property.Name);
        string? converter = TypeConverters.Lambda(property.Type);
        string? skip = null;
        if (remote)
        {
            if (property.ReturnsByRef || property.ReturnsByRefReadonly) skip = "ref properties are not supported";
            else if (MethodParser.NameProblem(wireName) is { } problem) skip = problem;
            else if (converter is null) skip = "unsupported property type " + Symbols.Display(property.Type);
        }

        return new MemberModel(
            MemberKind.Property,
            Symbols.Identifier(property.Name),
            display,
            declaringType,
            remote,
            wireName,
            skip,
            type,
            EquatableArray<ParameterModel>.Empty,
            EquatableArray<string>.Empty,
            EquatableArray<string>.Empty,
            CallShape.Value,
            Symbols.Display(property.Type),
            converter,
            converter is null ? null : TypeConverters.Expression(property.Type, "value"),
            false,
            hasGetter,
            hasSetter,
            initOnly,
            TypeConverters.MayLookLikeIterator(property.Type),
            WireType: WireTypes.Of(property.Type));
    }
}

using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TypedPyro.Analyzers;

/// <summary>
/// TPY5001/TPY5002: configuring pickle, dill, cloudpickle (error) or marshal (warning): SerializerId members and
/// numeric casts, and serializer names assigned to PyroConfig.Serializer, added to PyroConfig.SerializersAccepted
/// or passed to PyroSerializers.ForName. Comparisons (==, !=, patterns, switch labels) and nameof are checks, not
/// configuration, and are not reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SerializerAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.InsecureSerializer, Descriptors.MarshalSerializer);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(AnalyzeFieldReference, OperationKind.FieldReference);
        context.RegisterOperationAction(AnalyzeConversion, OperationKind.Conversion);
        context.RegisterOperationAction(AnalyzeAssignment, OperationKind.SimpleAssignment);
        context.RegisterOperationAction(AnalyzeInvocation, OperationKind.Invocation);
    }

    private static bool IsSerializerId(ITypeSymbol? type)
    {
        if (type is INamedTypeSymbol nullable && nullable.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T) type = nullable.TypeArguments[0];
        return PyroModel.Is(type, "TypedPyro.Serialization", "SerializerId");
    }

    /// <summary>The serializer a SerializerId value names, when it is one of the reported ones.</summary>
    private static string? NameOfId(object? value) => value switch
    {
        3 or (ushort)3 => "marshal",
        4 or (ushort)4 => "pickle",
        5 or (ushort)5 => "dill",
        7 or (ushort)7 => "cloudpickle",
        _ => null,
    };

    private static void Report(OperationAnalysisContext context, Location location, string serializer)
    {
        if (serializer == "marshal") context.ReportDiagnostic(Diagnostic.Create(Descriptors.MarshalSerializer, location));
        else context.ReportDiagnostic(Diagnostic.Create(Descriptors.InsecureSerializer, location, serializer));
    }

    private static void AnalyzeFieldReference(OperationAnalysisContext context)
    {
        var reference = (IFieldReferenceOperation)context.Operation;
        if (!IsSerializerId(reference.Field.ContainingType) || !reference.Field.HasConstantValue) return;
        string? name = reference.Field.Name switch
        {
            "Marshal" => "marshal",
            "Pickle" => "pickle",
            "Dill" => "dill",
            "CloudPickle" => "cloudpickle",
            _ => null,
        };
        if (name is null || IsCheck(reference)) return;
        Report(context, reference.Syntax.GetLocation(), name);
    }

    private static void AnalyzeConversion(OperationAnalysisContext context)
    {
        var conversion = (IConversionOperation)context.Operation;
        if (!IsSerializerId(conversion.Type)) return;
        var operand = conversion.Operand;
        if (operand.Type is null || IsSerializerId(operand.Type) || operand.Type.TypeKind == TypeKind.Enum) return;
        if (!operand.ConstantValue.HasValue) return;
        object? value = operand.ConstantValue.Value switch
        {
            int i => i,
            ushort u => (int)u,
            short s => (int)s,
            long l when l is >= 0 and <= 10 => (int)l,
            uint ui when ui <= 10 => (int)ui,
            byte b => (int)b,
            _ => null,
        };
        if (NameOfId(value) is not { } name || IsCheck(conversion)) return;
        Report(context, conversion.Syntax.GetLocation(), name);
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: var property } || !PyroModel.IsPyro(property.ContainingType, "PyroConfig")) return;
        if (property.Name == "Serializer") CheckName(context, assignment.Value);
        else if (property.Name == "SerializersAccepted") CheckNamesWithin(context, assignment.Value);
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (method.Name == "ForName" && method.IsStatic && PyroModel.Is(method.ContainingType, "TypedPyro.Serialization", "PyroSerializers"))
        {
            if (invocation.Arguments.Length > 0) CheckName(context, invocation.Arguments[0].Value);
            return;
        }
        if (invocation.Instance is { } instance && IsAcceptedSet(instance))
        {
            foreach (var argument in invocation.Arguments) CheckNamesWithin(context, argument.Value);
        }
    }

    /// <summary>config.SerializersAccepted, or the implicit receiver inside <c>SerializersAccepted = { ... }</c>.</summary>
    private static bool IsAcceptedSet(IOperation instance)
    {
        while (instance is IConversionOperation conversion) instance = conversion.Operand;
        if (instance is IPropertyReferenceOperation { Property: { Name: "SerializersAccepted" } property })
            return PyroModel.IsPyro(property.ContainingType, "PyroConfig");
        if (instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver })
        {
            for (var parent = instance.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent is IMemberInitializerOperation member)
                    return member.InitializedMember is IPropertyReferenceOperation { Property: { Name: "SerializersAccepted" } p } && PyroModel.IsPyro(p.ContainingType, "PyroConfig");
                if (parent is IObjectOrCollectionInitializerOperation or IInvocationOperation or IConversionOperation or IArgumentOperation) continue;
                break;
            }
        }
        return false;
    }

    private static void CheckName(OperationAnalysisContext context, IOperation value)
    {
        if (value.ConstantValue is { HasValue: true, Value: string text } && Reported(text) is { } name)
            Report(context, value.Syntax.GetLocation(), name);
    }

    private static void CheckNamesWithin(OperationAnalysisContext context, IOperation value)
    {
        CheckName(context, value);
        foreach (var descendant in value.Descendants())
        {
            if (descendant is ILiteralOperation or IFieldReferenceOperation or ILocalReferenceOperation) CheckName(context, descendant);
        }
    }

    private static string? Reported(string text) => text.Trim().ToLowerInvariant() switch
    {
        "pickle" => "pickle",
        "dill" => "dill",
        "cloudpickle" => "cloudpickle",
        "marshal" => "marshal",
        _ => null,
    };

    /// <summary>True when the value is compared rather than configured (==, !=, patterns, switch labels, nameof).</summary>
    private static bool IsCheck(IOperation operation)
    {
        var current = operation;
        var parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            current = parent;
            parent = parent.Parent;
        }
        return parent switch
        {
            IBinaryOperation binary => binary.OperatorKind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals,
            IPatternOperation => true,
            ISingleValueCaseClauseOperation => true,
            INameOfOperation => true,
            _ => false,
        } || IsInNameOf(current);
    }

    private static bool IsInNameOf(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is INameOfOperation) return true;
        }
        return false;
    }
}

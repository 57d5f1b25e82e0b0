using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TypedPyro.Analyzers;

/// <summary>
/// TPY5003: an HMAC key built from a literal (<c>Encoding.X.GetBytes("...")</c>, <c>"..."u8</c>, byte arrays or
/// collection expressions of constants, Convert.FromBase64String/FromHexString of a constant, or a local initialized
/// with one of those) assigned to an <c>HmacKey</c> property of a TypedPyro type or passed to an <c>hmacKey</c> parameter.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HmacKeyAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: "true" when the reported expression is the literal itself (a fix can replace it).</summary>
    public const string ReplaceableProperty = "Replaceable";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.HardCodedHmacKey);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(AnalyzeAssignment, OperationKind.SimpleAssignment);
        context.RegisterOperationAction(AnalyzeArgument, OperationKind.Argument);
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: { Name: "HmacKey" } property }) return;
        if (!PyroModel.IsNamespace(property.ContainingType?.ContainingNamespace, "TypedPyro")) return;
        Check(context, assignment.Value, property.ContainingType!.Name + ".HmacKey");
    }

    private static void AnalyzeArgument(OperationAnalysisContext context)
    {
        var argument = (IArgumentOperation)context.Operation;
        if (argument.Parameter is not { } parameter || !string.Equals(parameter.Name, "hmacKey", StringComparison.OrdinalIgnoreCase)) return;
        string owner = parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor } ctor ? ctor.ContainingType.Name : parameter.ContainingSymbol.Name;
        Check(context, argument.Value, owner + "(" + parameter.Name + ")");
    }

    private static void Check(OperationAnalysisContext context, IOperation value, string target)
    {
        var unwrapped = Unwrap(value);
        if (!IsLiteralBuilt(unwrapped, 0)) return;
        var properties = ImmutableDictionary<string, string?>.Empty;
        if (unwrapped is not ILocalReferenceOperation) properties = properties.Add(ReplaceableProperty, "true");
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.HardCodedHmacKey, value.Syntax.GetLocation(), properties, target));
    }

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } or IParenthesizedOperation)
            operation = operation is IConversionOperation c ? c.Operand : ((IParenthesizedOperation)operation).Operand;
        return operation;
    }

    private static bool IsConstantString(IOperation operation) => operation.ConstantValue is { HasValue: true, Value: string };

    private static bool IsLiteralBuilt(IOperation operation, int depth)
    {
        if (depth > 4) return false;
        operation = Unwrap(operation);
        switch (operation)
        {
            case IConversionOperation conversion:
                return IsLiteralBuilt(conversion.Operand, depth + 1);
            case IUtf8StringOperation:
                return true;
            case ILiteralOperation literal:
                // "..."u8 is a literal of type ReadOnlySpan<byte> in older compilers' operation trees.
                return literal.Type is INamedTypeSymbol { Name: "ReadOnlySpan" };
            case IArrayCreationOperation { Initializer: { } initializer }:
                return AllConstant(initializer);
            case ICollectionExpressionOperation collection:
                if (collection.Elements.Length == 0) return false;
                foreach (var element in collection.Elements)
                {
                    if (!Unwrap(element).ConstantValue.HasValue) return false;
                }
                return true;
            case IInvocationOperation invocation:
                return IsLiteralBuiltInvocation(invocation, depth);
            case ILocalReferenceOperation local:
                return LocalInitializer(local) is { } localValue && IsLiteralBuilt(localValue, depth + 1);
            default:
                return false;
        }
    }

    private static bool AllConstant(IArrayInitializerOperation initializer)
    {
        if (initializer.ElementValues.Length == 0) return false;
        foreach (var element in initializer.ElementValues)
        {
            if (!Unwrap(element).ConstantValue.HasValue) return false;
        }
        return true;
    }

    private static bool IsLiteralBuiltInvocation(IInvocationOperation invocation, int depth)
    {
        var method = invocation.TargetMethod;
        var args = invocation.Arguments;
        if (method.Name == "GetBytes" && args.Length >= 1 && IsEncoding(method.ContainingType))
            return IsConstantString(Unwrap(args[0].Value));
        if (method.Name is "FromBase64String" or "FromHexString" && args.Length == 1 && PyroModel.Is(method.ContainingType, "System", "Convert"))
            return IsConstantString(Unwrap(args[0].Value));
        if (method.Name == "ToArray" && args.Length == 0 && invocation.Instance is { } instance)
            return IsLiteralBuilt(instance, depth + 1);
        if (method.Name == "ToArray" && method.IsExtensionMethod && args.Length == 1)
            return IsLiteralBuilt(args[0].Value, depth + 1);
        return false;
    }

    private static bool IsEncoding(INamedTypeSymbol? type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (PyroModel.Is(t, "System.Text", "Encoding")) return true;
        }
        return false;
    }

    /// <summary>The initializer of a local declared with one, in the same operation tree.</summary>
    private static IOperation? LocalInitializer(ILocalReferenceOperation reference)
    {
        var root = reference;
        IOperation top = reference;
        while (top.Parent is not null) top = top.Parent;
        foreach (var operation in top.Descendants())
        {
            if (operation is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, root.Local))
                return declarator.Initializer?.Value;
        }
        return null;
    }
}

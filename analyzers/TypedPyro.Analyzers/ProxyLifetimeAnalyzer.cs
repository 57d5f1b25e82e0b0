using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TypedPyro.Analyzers;

/// <summary>
/// TPY6001: a proxy (<c>new PyroProxy(...)</c> or <c>Pyro.Proxy&lt;T&gt;(...)</c>) created into a local that is never
/// disposed (using, Dispose, DisposeAsync, Release, Close), returned, stored, passed on or otherwise handed over.
/// Only the local's uses as a receiver of other members count as "not released": anything else is an escape.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ProxyLifetimeAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.ProxyNotReleased);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(AnalyzeCreation, OperationKind.ObjectCreation, OperationKind.Invocation);
    }

    private static bool IsProxyCreation(IOperation operation) => operation switch
    {
        IObjectCreationOperation creation => PyroModel.IsPyro(creation.Type, "PyroProxy"),
        IInvocationOperation invocation => invocation.TargetMethod is { Name: "Proxy", IsStatic: true } method && PyroModel.IsPyro(method.ContainingType, "Pyro"),
        _ => false,
    };

    private static void AnalyzeCreation(OperationAnalysisContext context)
    {
        var creation = context.Operation;
        if (!IsProxyCreation(creation)) return;

        IOperation current = creation;
        var parent = creation.Parent;
        while (parent is IConversionOperation)
        {
            current = parent;
            parent = parent.Parent;
        }

        ILocalSymbol local;
        IOperation? write = null;
        if (parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
        {
            if (IsUsingDeclaration(declarator)) return;
            local = declarator.Symbol;
        }
        else if (parent is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment && assignment.Value == current)
        {
            local = target.Local;
            write = target;
        }
        else
        {
            return;
        }

        IOperation root = creation;
        while (root.Parent is not null) root = root.Parent;
        foreach (var operation in root.Descendants())
        {
            if (operation is not ILocalReferenceOperation reference || reference == write) continue;
            if (!SymbolEqualityComparer.Default.Equals(reference.Local, local)) continue;
            if (!IsPlainUse(reference)) return;
        }
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.ProxyNotReleased, creation.Syntax.GetLocation(), local.Name));
    }

    private static bool IsUsingDeclaration(IVariableDeclaratorOperation declarator)
    {
        var declaration = declarator.Parent;
        var group = declaration?.Parent;
        return group is IUsingDeclarationOperation or IUsingOperation
            || group?.Parent is IUsingDeclarationOperation or IUsingOperation;
    }

    private static bool IsReleaseName(string name) => name is "Dispose" or "DisposeAsync" or "Release" or "Close";

    /// <summary>
    /// True when the reference only uses the proxy (a call or property on it, or a write to the local); false when it
    /// releases the proxy or lets it escape (argument, return, assignment to something else, using, ...).
    /// </summary>
    private static bool IsPlainUse(ILocalReferenceOperation reference)
    {
        IOperation current = reference;
        var parent = reference.Parent;
        while (parent is IConversionOperation)
        {
            current = parent;
            parent = parent.Parent;
        }
        switch (parent)
        {
            case IInvocationOperation invocation when invocation.Instance == current:
                return !IsReleaseName(invocation.TargetMethod.Name);
            case IPropertyReferenceOperation property when property.Instance == current:
                return true;
            case IEventReferenceOperation eventReference when eventReference.Instance == current:
                return true;
            case IConditionalAccessOperation conditional when conditional.Operation == current:
                return !(conditional.WhenNotNull is IInvocationOperation { TargetMethod: var method } && IsReleaseName(method.Name));
            case ISimpleAssignmentOperation assignment when assignment.Target == current:
                return true; // a write: the old proxy is not handed over
            default:
                return false;
        }
    }
}

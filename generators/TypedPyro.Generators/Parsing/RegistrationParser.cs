using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TypedPyro.Generators.Model;

namespace TypedPyro.Generators.Parsing;

/// <summary>
/// Finds the daemon registrations written in source, for the exposure manifest: calls of <c>PyroDaemon.Register</c>
/// and of the hosting package's <c>IPyroDaemonBuilder.AddObject</c>.
/// </summary>
internal static class RegistrationParser
{
    /// <summary>
    /// The cheap syntactic filter: a call of a member named <c>Register</c> or <c>AddObject</c>, as <c>daemon.Register(...)</c>
    /// or as <c>daemon?.Register(...)</c> (a member binding inside a conditional access).
    /// </summary>
    public static bool IsCandidate(SyntaxNode node) => node is InvocationExpressionSyntax
    {
        Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Register" or "AddObject" }
            or MemberBindingExpressionSyntax { Name.Identifier.ValueText: "Register" or "AddObject" },
    };

    public static RegistrationModel? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.SemanticModel.GetOperation(context.Node, cancellationToken) is not IInvocationOperation invocation) return null;
        var method = invocation.TargetMethod;
        string call;
        if (method.Name == "Register" && Symbols.Is(method.ContainingType, "TypedPyro", "PyroDaemon")) call = "PyroDaemon.Register";
        else if (method.Name == "AddObject" && Symbols.Is(method.ContainingType, "TypedPyro.Hosting", "IPyroDaemonBuilder")) call = "IPyroDaemonBuilder.AddObject";
        else return null;

        // Register(IPyroDispatcher) and Register(Func<IPyroDispatcher>, metadata, ...) serve hand-made dispatchers; a
        // concrete dispatcher class inferred as TContract is served as a dispatcher too (see PyroDaemon.Register).
        var contract = method.IsGenericMethod ? method.TypeArguments[0] : null;
        if (contract is not null && contract.TypeKind != TypeKind.Interface && Implements(contract, "TypedPyro", "IPyroDispatcher")) contract = null;

        string? objectId = null;
        string idKind = "generated";
        string? mode = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is null) continue;
            if (argument.Parameter.Name == "objectId")
            {
                var value = argument.Value.ConstantValue;
                if (!value.HasValue) idKind = "computed";
                else if (value.Value is string id)
                {
                    objectId = id;
                    idKind = "constant";
                }
            }
            else if (argument.Parameter.Name == "mode" && argument.Value.ConstantValue is { HasValue: true, Value: { } raw })
            {
                mode = EnumMember(argument.Parameter.Type, raw) ?? raw.ToString();
            }
        }

        var span = context.Node.GetLocation().GetLineSpan();
        ContractModel? external = null;
        if (contract is INamedTypeSymbol named && !SymbolEqualityComparer.Default.Equals(named.ContainingAssembly, context.SemanticModel.Compilation.Assembly))
            external = ContractParser.Parse(named, cancellationToken);

        return new RegistrationModel(
            call,
            contract is null ? null : Symbols.Display(contract),
            objectId,
            idKind,
            mode,
            span.Path,
            span.StartLinePosition.Line + 1,
            external);
    }

    private static bool Implements(ITypeSymbol type, string ns, string name)
    {
        foreach (var i in type.AllInterfaces)
        {
            if (Symbols.Is(i, ns, name)) return true;
        }
        return false;
    }

    private static string? EnumMember(ITypeSymbol type, object value)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol { HasConstantValue: true } field && Equals(field.ConstantValue, value)) return field.Name;
        }
        return null;
    }
}

using System;
using System.Collections.Immutable;
using System.Net;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TypedPyro.Analyzers;

/// <summary>
/// TPY5004: <c>new PyroDaemonOptions { Host = "..." }</c> binds to a constant host that other machines can reach
/// (not <c>localhost</c>, not a loopback address) and sets neither <c>Tls</c> nor <c>HmacKey</c> nor <c>Config</c>.
/// Such a daemon runs every call that reaches the port, from anyone, in clear text.
/// </summary>
/// <remarks>
/// Only what the code shows is judged: a host that is not a constant may be loopback, and a <c>Config</c> may turn
/// SSL on (it often comes from <c>PYRO_SSL</c> in the environment), so either keeps the analyzer quiet.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NetworkExposureAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.UnprotectedNetworkDaemon);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(AnalyzeCreation, OperationKind.ObjectCreation);
    }

    private static void AnalyzeCreation(OperationAnalysisContext context)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (!PyroModel.Is(creation.Type, "TypedPyro", "PyroDaemonOptions") || creation.Initializer is not { } initializer) return;
        IOperation? host = null;
        foreach (var member in initializer.Initializers)
        {
            if (member is not ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: var name } } assignment) continue;
            if (name is "Tls" or "HmacKey" or "Config") return;
            if (name == "Host") host = assignment.Value;
        }
        if (host?.ConstantValue is not { HasValue: true, Value: string address } || IsLoopback(address)) return;
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.UnprotectedNetworkDaemon, host.Syntax.GetLocation(), address));
    }

    /// <summary>Names and addresses only this machine can reach; "" and "0.0.0.0"/"::" bind every interface.</summary>
    private static bool IsLoopback(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }
}

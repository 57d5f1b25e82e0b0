namespace TypedPyro.Generators.Model;

/// <summary>
/// A daemon registration the generator can see in source (<c>daemon.Register&lt;IWarehouse&gt;(impl, "warehouse")</c>,
/// <c>AddObject&lt;IWarehouse, Warehouse&gt;("warehouse")</c>), for the exposure manifest.
/// </summary>
/// <param name="Call">The method called: <c>PyroDaemon.Register</c> or <c>IPyroDaemonBuilder.AddObject</c>.</param>
/// <param name="ContractType">The contract type argument (<c>global::Example.IWarehouse</c>), or null when the call
/// registers a hand-made dispatcher whose members the generator cannot see.</param>
/// <param name="ObjectId">The object id when it is a constant; null when the daemon makes one (<c>obj_…</c>) or when it
/// is computed (see <paramref name="ObjectIdKind"/>).</param>
/// <param name="ObjectIdKind"><c>constant</c>, <c>generated</c> (null or omitted: the daemon makes one) or <c>computed</c>.</param>
/// <param name="InstanceMode">The instance mode when the call names one (<c>Single</c>, <c>Session</c>, <c>PerCall</c>).</param>
/// <param name="File">The source file of the call, as the compilation names it.</param>
/// <param name="Line">The call's line, from 1.</param>
/// <param name="ExternalContract">The contract, parsed here, when it is declared in a referenced assembly (its own
/// generator made its dispatcher): so the manifest still lists what the registration makes callable.</param>
internal sealed record RegistrationModel(
    string Call,
    string? ContractType,
    string? ObjectId,
    string ObjectIdKind,
    string? InstanceMode,
    string File,
    int Line,
    ContractModel? ExternalContract);

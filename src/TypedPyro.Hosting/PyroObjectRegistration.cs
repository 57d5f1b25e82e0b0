using Microsoft.Extensions.DependencyInjection;

namespace TypedPyro.Hosting;

/// <summary>One object the hosted daemon serves: its id, instance mode, and how it is registered from DI.</summary>
public sealed class PyroObjectRegistration
{
    internal PyroObjectRegistration(string objectId, Type contract, PyroInstanceMode mode, bool registerWithNameServer, Func<PyroDaemon, IServiceProvider, PyroUri> register)
    {
        ObjectId = objectId;
        Contract = contract;
        Mode = mode;
        RegisterWithNameServer = registerWithNameServer;
        Register = register;
    }

    /// <summary>The Pyro object id, also its name in the name server.</summary>
    public string ObjectId { get; }

    /// <summary>The <c>[Expose]</c> contract it is served through.</summary>
    public Type Contract { get; }

    /// <summary>Pyro's instance mode (single = a DI singleton, session = scoped per connection, percall = scoped per call).</summary>
    public PyroInstanceMode Mode { get; }

    /// <summary>Whether it is registered by name when the daemon registers with a name server.</summary>
    public bool RegisterWithNameServer { get; }

    internal Func<PyroDaemon, IServiceProvider, PyroUri> Register { get; }

    internal static PyroObjectRegistration Create<TContract, TImplementation>(string objectId, PyroInstanceMode mode, bool registerWithNameServer)
        where TContract : class
        where TImplementation : class, TContract
    {
        return new PyroObjectRegistration(objectId, typeof(TContract), mode, registerWithNameServer, (daemon, services) =>
        {
            if (mode == PyroInstanceMode.Single) return daemon.Register<TContract>(services.GetRequiredService<TImplementation>(), objectId);
            var scopes = services.GetRequiredService<IServiceScopeFactory>();
            // The generator may register a contract without its metadata: then one instance, made and disposed in a
            // scope of its own at start, tells it (as the core's own factory registration does).
            var metadata = PyroContracts.GetMetadata<TContract>() ?? MetadataFromInstance<TContract, TImplementation>(scopes);
            return daemon.Register(() => ScopedDispatcher.Create<TContract, TImplementation>(scopes), metadata, mode, objectId);
        });
    }

    private static PyroObjectMetadata MetadataFromInstance<TContract, TImplementation>(IServiceScopeFactory scopes)
        where TContract : class
        where TImplementation : class, TContract
    {
        var probe = ScopedDispatcher.Create<TContract, TImplementation>(scopes);
        try
        {
            return probe.Metadata;
        }
        finally
        {
            probe.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}

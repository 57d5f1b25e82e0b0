using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;

namespace TypedPyro.Hosting;

/// <summary>Adds objects to the hosted daemon (returned by <c>AddPyroDaemon</c>).</summary>
public interface IPyroDaemonBuilder
{
    /// <summary>The service collection the daemon is registered in.</summary>
    IServiceCollection Services { get; }

    /// <summary>
    /// Serves <typeparamref name="TImplementation"/> through its <c>[Expose]</c> contract under <paramref name="objectId"/>.
    /// The implementation is made by DI: a singleton for <see cref="PyroInstanceMode.Single"/>, scoped per connection
    /// for <see cref="PyroInstanceMode.Session"/>, scoped per call for <see cref="PyroInstanceMode.PerCall"/>.
    /// </summary>
    /// <param name="objectId">The object id, and its name in the name server.</param>
    /// <param name="mode">Pyro's instance mode.</param>
    /// <param name="registerWithNameServer">Register it by name when the daemon registers with a name server.</param>
    IPyroDaemonBuilder AddObject<TContract, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(string objectId, PyroInstanceMode mode = PyroInstanceMode.Single, bool registerWithNameServer = true)
        where TContract : class
        where TImplementation : class, TContract;
}

internal sealed class PyroDaemonBuilder(IServiceCollection services) : IPyroDaemonBuilder
{
    public IServiceCollection Services { get; } = services;

    public IPyroDaemonBuilder AddObject<TContract, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(string objectId, PyroInstanceMode mode = PyroInstanceMode.Single, bool registerWithNameServer = true)
        where TContract : class
        where TImplementation : class, TContract
    {
        ArgumentException.ThrowIfNullOrEmpty(objectId);
        var lifetime = mode == PyroInstanceMode.Single ? ServiceLifetime.Singleton : ServiceLifetime.Scoped;
        Services.Add(new ServiceDescriptor(typeof(TImplementation), typeof(TImplementation), lifetime));
        Services.AddSingleton(PyroObjectRegistration.Create<TContract, TImplementation>(objectId, mode, registerWithNameServer));
        return this;
    }
}

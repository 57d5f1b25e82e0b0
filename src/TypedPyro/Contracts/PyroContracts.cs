using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace TypedPyro;

/// <summary>
/// Links <c>[Expose]</c> interfaces to their generated proxies and dispatchers. Generated code registers each
/// contract from a module initializer, so finding them needs no reflection scanning and is safe under trimming and
/// NativeAOT.
/// </summary>
public static class PyroContracts
{
    private static readonly ConcurrentDictionary<Type, Registration> Registrations = new();

    /// <summary>Called by generated code: registers a contract's proxy and dispatcher factories.</summary>
    public static void Register<TContract>(Func<PyroProxy, TContract> proxyFactory, Func<TContract, IPyroDispatcher> dispatcherFactory, PyroObjectMetadata? metadata = null)
        where TContract : class
    {
        ArgumentNullException.ThrowIfNull(proxyFactory);
        ArgumentNullException.ThrowIfNull(dispatcherFactory);
        Registrations[typeof(TContract)] = new Registration(proxyFactory, impl => dispatcherFactory((TContract)impl), metadata);
    }

    /// <summary>The contract's metadata when the generator registered it (used to serve factories before any instance exists).</summary>
    internal static PyroObjectMetadata? GetMetadata<TContract>() where TContract : class => Get(typeof(TContract)).Metadata;

    /// <summary>True when <typeparamref name="TContract"/> has a generated proxy and dispatcher.</summary>
    public static bool IsRegistered<TContract>() where TContract : class => TryGet(typeof(TContract), out _);

    /// <summary>A typed proxy over an untyped connection.</summary>
    /// <exception cref="InvalidOperationException">No generated proxy exists for <typeparamref name="TContract"/>.</exception>
    public static TContract CreateProxy<TContract>(PyroProxy connection) where TContract : class
        => (TContract)Get(typeof(TContract)).ProxyFactory(connection);

    /// <summary>The generated dispatcher serving <paramref name="implementation"/> through <typeparamref name="TContract"/>.</summary>
    /// <exception cref="InvalidOperationException">No generated dispatcher exists for <typeparamref name="TContract"/>.</exception>
    public static IPyroDispatcher CreateDispatcher<TContract>(TContract implementation) where TContract : class
    {
        ArgumentNullException.ThrowIfNull(implementation);
        return Get(typeof(TContract)).DispatcherFactory(implementation);
    }

    private static Registration Get(Type contract)
        => TryGet(contract, out var registration)
            ? registration
            : throw new InvalidOperationException(
                $"{contract.FullName} has no generated Pyro proxy or dispatcher. Mark it [Expose] (an interface) in a project that references the TypedPyro package, whose source generator makes them.");

    private static bool TryGet(Type contract, out Registration registration)
    {
        if (Registrations.TryGetValue(contract, out registration!)) return true;
        // The contract's module may not have run its initializer yet (a module initializer runs on first method or
        // static field access, and typeof does neither): run it now, then look again.
        RuntimeHelpers.RunModuleConstructor(contract.Module.ModuleHandle);
        return Registrations.TryGetValue(contract, out registration!);
    }

    private sealed record Registration(Func<PyroProxy, object> ProxyFactory, Func<object, IPyroDispatcher> DispatcherFactory, PyroObjectMetadata? Metadata);
}

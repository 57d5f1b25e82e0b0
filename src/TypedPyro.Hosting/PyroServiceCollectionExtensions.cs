using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace TypedPyro.Hosting;

/// <summary>Registers a hosted Pyro daemon, its options and typed proxies in an <see cref="IServiceCollection"/>.</summary>
public static class PyroServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="PyroHostingOptions"/> from <paramref name="section"/> (<c>configuration.GetSection("Pyro")</c>),
    /// checked when the host starts. The daemon and DI-made proxies use them.
    /// </summary>
    public static IServiceCollection AddPyroOptions(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        AddPyroOptionsCore(services).Configure(o => PyroConfigurationBinder.Bind(section, o));
        return services;
    }

    /// <summary>A hosted daemon configured in code; add its objects with <see cref="IPyroDaemonBuilder.AddObject{TContract, TImplementation}"/>.</summary>
    public static IPyroDaemonBuilder AddPyroDaemon(this IServiceCollection services, Action<PyroHostingOptions>? configure = null)
    {
        var builder = AddPyroOptionsCore(services);
        if (configure is not null) builder.Configure(configure);
        return AddDaemonCore(services);
    }

    /// <summary>A hosted daemon whose options are bound from <paramref name="section"/>, then changed by <paramref name="configure"/>.</summary>
    public static IPyroDaemonBuilder AddPyroDaemon(this IServiceCollection services, IConfiguration section, Action<PyroHostingOptions>? configure = null)
    {
        services.AddPyroOptions(section);
        if (configure is not null) services.Configure(configure);
        return AddDaemonCore(services);
    }

    /// <summary>
    /// A typed proxy for <paramref name="uri"/> (<c>PYRO:</c> or <c>PYRONAME:</c>) from DI: one per container, so all
    /// its users share one connection (calls are serialized, or pipelined); it connects on first use and is closed
    /// when the container is disposed.
    /// </summary>
    public static IServiceCollection AddPyroProxy<TContract>(this IServiceCollection services, string uri, Action<PyroClientOptions>? configure = null)
        where TContract : class
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        var parsed = PyroUri.Parse(uri); // a malformed URI fails here, at registration, not at first use
        AddPyroOptionsCore(services);
        services.AddSingleton(provider =>
        {
            var client = new PyroClientOptions();
            configure?.Invoke(client);
            return Pyro.Proxy<TContract>(parsed, client.ToProxyOptions(provider.GetRequiredService<IOptions<PyroHostingOptions>>().Value));
        });
        return services;
    }

    private static OptionsBuilder<PyroHostingOptions> AddPyroOptionsCore(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PyroHostingOptions>, PyroHostingOptionsValidator>());
        return services.AddOptions<PyroHostingOptions>().ValidateOnStart();
    }

    private static PyroDaemonBuilder AddDaemonCore(IServiceCollection services)
    {
        services.TryAddSingleton<PyroDaemonHost>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PyroDaemonHostedService>());
        return new PyroDaemonBuilder(services);
    }
}

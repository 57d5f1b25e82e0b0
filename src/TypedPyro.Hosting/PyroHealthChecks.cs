using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace TypedPyro.Hosting;

/// <summary>Health checks for the hosted daemon and the name server.</summary>
public static class PyroHealthChecks
{
    /// <summary>Healthy while the hosted daemon accepts and serves calls; unhealthy before start and once stopping.</summary>
    public static IHealthChecksBuilder AddPyroDaemonHealthCheck(this IHealthChecksBuilder builder, string name = "pyro-daemon", IEnumerable<string>? tags = null)
        => builder.Add(new HealthCheckRegistration(name, provider => new DaemonHealthCheck(provider.GetRequiredService<PyroDaemonHost>()), HealthStatus.Unhealthy, tags));

    /// <summary>Healthy when the name server at NS_HOST:NS_PORT answers a ping within <paramref name="timeout"/> (default 3 s).</summary>
    public static IHealthChecksBuilder AddPyroNameServerHealthCheck(this IHealthChecksBuilder builder, string name = "pyro-nameserver", TimeSpan? timeout = null, IEnumerable<string>? tags = null)
        => builder.Add(new HealthCheckRegistration(name, provider => new NameServerHealthCheck(provider.GetRequiredService<IOptions<PyroHostingOptions>>().Value, timeout ?? TimeSpan.FromSeconds(3)), HealthStatus.Unhealthy, tags));

    private sealed class DaemonHealthCheck(PyroDaemonHost host) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var daemon = host.Daemon;
            if (daemon is null) return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, "the Pyro daemon has not started"));
            if (!daemon.IsServing) return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, "the Pyro daemon is stopping or stopped"));
            var data = new Dictionary<string, object> { ["location"] = daemon.LocationUri.Location!, ["connections"] = daemon.ConnectionCount };
            return Task.FromResult(HealthCheckResult.Healthy($"listening on {daemon.LocationUri.Location}", data));
        }
    }

    private sealed class NameServerHealthCheck(PyroHostingOptions options, TimeSpan timeout) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var config = options.BuildConfig();
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(timeout);
            try
            {
                await using var ns = await PyroDaemonHostedService.LocateNameServerAsync(config, options.GetHmacKey(), cts.Token).ConfigureAwait(false);
                await ns.PingAsync(cts.Token).ConfigureAwait(false);
                return HealthCheckResult.Healthy($"name server at {ns.Uri.Location} answers");
            }
            catch (Exception e) when (e is PyroException or OperationCanceledException)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"name server at {config.NsHost}:{config.NsPort} unreachable: {e.Message}");
            }
        }
    }
}

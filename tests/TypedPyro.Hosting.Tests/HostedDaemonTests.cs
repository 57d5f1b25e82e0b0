using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace TypedPyro.Hosting.Tests;

/// <summary>A generic host with a DI-built daemon, typed proxies from DI, options from configuration, health and stop.</summary>
public sealed class HostedDaemonTests
{
    private static IHost BuildHost(Dictionary<string, string?> settings, Action<IPyroDaemonBuilder>? objects = null, Action<IServiceCollection>? more = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<CounterLog>();
        var daemon = builder.Services.AddPyroDaemon(builder.Configuration.GetSection("Pyro"), o => o.Environment = new Dictionary<string, string?>());
        (objects ?? (d => d.AddObject<ICounter, Counter>("test.counter")))(daemon);
        builder.Services.AddHealthChecks().AddPyroDaemonHealthCheck();
        more?.Invoke(builder.Services);
        return builder.Build();
    }

    private static Dictionary<string, string?> Loopback() => new() { ["Pyro:HOST"] = "127.0.0.1", ["Pyro:PORT"] = "0" };

    [Fact]
    public async Task Objects_come_from_DI_with_the_lifetime_of_their_instance_mode()
    {
        using var host = BuildHost(Loopback(), d => d
            .AddObject<ICounter, Counter>("single")
            .AddObject<ICounter, Counter>("session", PyroInstanceMode.Session)
            .AddObject<ICounter, Counter>("percall", PyroInstanceMode.PerCall));
        await host.StartAsync();
        var hosted = host.Services.GetRequiredService<PyroDaemonHost>();
        var log = host.Services.GetRequiredService<CounterLog>();

        using (var single = (IDisposable)Pyro.Proxy<ICounter>(hosted.UriOf("single")))
        using (var other = (IDisposable)Pyro.Proxy<ICounter>(hosted.UriOf("single")))
        {
            Assert.Equal(1, ((ICounter)single).Next());
            Assert.Equal(2, ((ICounter)other).Next()); // one singleton for every connection
        }

        var session = Pyro.Proxy<ICounter>(hosted.UriOf("session"));
        string first = session.InstanceId();
        Assert.Equal(first, session.InstanceId()); // one scope per connection
        var session2 = Pyro.Proxy<ICounter>(hosted.UriOf("session"));
        Assert.NotEqual(first, session2.InstanceId());

        var percall = Pyro.Proxy<ICounter>(hosted.UriOf("percall"));
        Assert.NotEqual(percall.InstanceId(), percall.InstanceId()); // a scope per call
        // Each per-call scope disposed its instance after the call (and the two probes made at start for metadata).
        int afterCalls = Volatile.Read(ref log.Disposed);
        Assert.True(afterCalls >= 2, $"disposed {afterCalls}");

        ((IDisposable)session).Dispose();
        ((IDisposable)session2).Dispose();
        ((IDisposable)percall).Dispose();
        // Session scopes end with their connections.
        for (int i = 0; i < 200 && Volatile.Read(ref log.Disposed) < afterCalls + 2; i++) await Task.Delay(25);
        Assert.Equal(afterCalls + 2, Volatile.Read(ref log.Disposed));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_typed_proxy_from_DI_is_shared_and_closed_with_the_container()
    {
        using var server = BuildHost(Loopback());
        await server.StartAsync();
        var uri = server.Services.GetRequiredService<PyroDaemonHost>().UriOf("test.counter");
        var daemon = server.Services.GetRequiredService<PyroDaemonHost>().Daemon!;

        var clients = new ServiceCollection();
        clients.AddPyroProxy<ICounter>(uri.ToString(), o => o.Timeout = TimeSpan.FromSeconds(30));
        var provider = clients.BuildServiceProvider();
        var a = provider.GetRequiredService<ICounter>();
        Assert.Same(a, provider.GetRequiredService<ICounter>());
        Assert.Equal(1, a.Next());
        Assert.Equal(1, daemon.ConnectionCount);
        await provider.DisposeAsync();
        for (int i = 0; i < 200 && daemon.ConnectionCount > 0; i++) await Task.Delay(25);
        Assert.Equal(0, daemon.ConnectionCount);
        await server.StopAsync();
    }

    [Fact]
    public async Task Options_bind_Pyro_item_names_from_configuration()
    {
        var settings = Loopback();
        settings["Pyro:COMMTIMEOUT"] = "2.5";
        settings["Pyro:servertype"] = "multiplex";
        settings["Pyro:HMAC_KEY"] = "s3cret-from-config";
        using var host = BuildHost(settings);
        await host.StartAsync();
        var daemon = host.Services.GetRequiredService<PyroDaemonHost>().Daemon!;
        Assert.Equal(TimeSpan.FromSeconds(2.5), daemon.Config.CommTimeout);
        Assert.Equal("multiplex", daemon.Config.ServerType);
        Assert.Equal("s3cret-from-config"u8.ToArray(), daemon.HmacKey);
        Assert.DoesNotContain("s3cret", host.Services.GetRequiredService<IOptions<PyroHostingOptions>>().Value.ToString());

        var uri = host.Services.GetRequiredService<PyroDaemonHost>().UriOf("test.counter");
        var withKey = Pyro.Proxy<ICounter>(uri, new PyroProxyOptions { HmacKey = "s3cret-from-config"u8.ToArray() });
        Assert.Equal(1, withKey.Next());
        ((IDisposable)withKey).Dispose();
        var withoutKey = Pyro.Proxy<ICounter>(uri);
        Assert.ThrowsAny<PyroException>(() => withoutKey.Next());
        ((IDisposable)withoutKey).Dispose();
        await host.StopAsync();
    }

    [Fact]
    public void PYRO_environment_variables_override_the_section()
    {
        var options = new PyroHostingOptions { Environment = new Dictionary<string, string?> { ["PYRO_COMMTIMEOUT"] = "7", ["PYRO_HMAC_KEY"] = "env-key" } };
        options.Items["COMMTIMEOUT"] = "3";
        options.Items["SERIALIZER"] = "json";
        var config = options.BuildConfig();
        Assert.Equal(TimeSpan.FromSeconds(7), config.CommTimeout);
        Assert.Equal("json", config.Serializer);
        Assert.Equal("env-key"u8.ToArray(), options.GetHmacKey());
    }

    [Theory]
    [InlineData("Pyro:COMMTIMEOUT", "soon", "Pyro:COMMTIMEOUT")]
    [InlineData("Pyro:PORT", "99999", "Pyro:PORT")]
    [InlineData("Pyro:COMMTIMOUT", "5", "Pyro:COMMTIMOUT: not a Pyro configuration item")]
    [InlineData("Pyro:SERVERTYPE", "forking", "Pyro:SERVERTYPE")]
    public async Task Invalid_settings_stop_the_host_at_start_with_the_item_named(string key, string value, string expected)
    {
        var settings = Loopback();
        settings[key] = value;
        using var host = BuildHost(settings);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(expected, error.Message);
        Assert.Null(host.Services.GetRequiredService<PyroDaemonHost>().Daemon);
    }

    [Fact]
    public async Task The_daemon_health_check_follows_the_daemon()
    {
        using var host = BuildHost(Loopback());
        var health = host.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync()).Status);
        await host.StartAsync();
        var report = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Contains("listening on 127.0.0.1:", report.Entries["pyro-daemon"].Description);
        await host.StopAsync();
        Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync()).Status);
    }

    [Fact]
    public async Task Stopping_the_host_lets_a_running_call_finish_and_refuses_new_connections()
    {
        using var host = BuildHost(Loopback());
        await host.StartAsync();
        var hosted = host.Services.GetRequiredService<PyroDaemonHost>();
        var log = host.Services.GetRequiredService<CounterLog>();
        var uri = hosted.UriOf("test.counter");
        var client = Pyro.Proxy<ICounter>(uri);
        var running = client.SlowAsync(1500);
        await log.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var stopping = host.StopAsync(); // the host's shutdown timeout (30 s by default) bounds the wait
        for (int i = 0; i < 200 && hosted.Daemon!.IsServing; i++) await Task.Delay(10);
        Assert.False(hosted.Daemon!.IsServing);
        var late = Pyro.Proxy<ICounter>(uri);
        Assert.ThrowsAny<CommunicationException>(() => late.Next());
        ((IDisposable)late).Dispose();

        Assert.Equal("done", await running.WaitAsync(TimeSpan.FromSeconds(30))); // not lost
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(hosted.Daemon.Completion.IsCompleted);
        ((IDisposable)client).Dispose();
    }

    [Fact]
    public async Task The_shutdown_timeout_bounds_the_wait_for_running_calls()
    {
        using var host = BuildHost(Loopback(), more: s => s.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(300)));
        await host.StartAsync();
        var hosted = host.Services.GetRequiredService<PyroDaemonHost>();
        var client = Pyro.Proxy<ICounter>(hosted.UriOf("test.counter"));
        var running = client.SlowAsync(20_000);
        await host.Services.GetRequiredService<CounterLog>().SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await host.StopAsync();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"stop took {watch.Elapsed}");
        await Assert.ThrowsAnyAsync<PyroException>(() => running.WaitAsync(TimeSpan.FromSeconds(30)));
        ((IDisposable)client).Dispose();
    }
}

using Microsoft.Extensions.Logging;

namespace TypedPyro.Tests.Diagnostics;

/// <summary>PYRO_LOGLEVEL / PYRO_LOGFILE logging, and the loopback host name warning.</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task Pyro_loglevel_and_logfile_write_python_style_lines()
    {
        var file = Path.Combine(Path.GetTempPath(), $"typedpyro-{Guid.NewGuid():N}.log");
        try
        {
            var config = PyroConfig.FromEnvironment(new Dictionary<string, string?> { ["PYRO_LOGLEVEL"] = "DEBUG", ["PYRO_LOGFILE"] = file });
            using (var factory = PyroLogging.Create(config))
            {
                await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" }, factory.CreateLogger<PyroDaemon>());
                var uri = daemon.Register(new PyroObjectBuilder("X").Method("boom", _ => throw new InvalidOperationException("kaboom")).Build(), "x");
                daemon.Start();
                await using var proxy = new PyroProxy(uri);
                await Assert.ThrowsAsync<InvalidOperationException>(() => proxy.InvokeAsync("boom"));
            }
            var text = await File.ReadAllTextAsync(file);
            Assert.Matches(@"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3},TypedPyro,INFO\] Pyro log configured using built-in defaults, level=DEBUG", text);
            Assert.Contains(",DEBUG] Exception while handling a call of boom: kaboom", text);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void No_loglevel_means_no_logging_and_bad_levels_are_refused()
    {
        Assert.Same(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, PyroLogging.Create(new PyroConfig()));
        Assert.Throws<ArgumentException>(() => PyroLogging.ParseLevel("LOUD"));
        Assert.Equal(LogLevel.Warning, PyroLogging.ParseLevel("warning"));
    }

    private sealed class CapturingLogger : ILogger
    {
        public readonly List<string> Lines = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines) Lines.Add($"{logLevel}: {formatter(state, exception)}");
        }
    }

    private sealed class CapturingLogger<T> : ILogger<T>
    {
        public readonly CapturingLogger Inner = new();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Inner.Log(logLevel, eventId, state, exception, formatter);
    }

    [Fact]
    public async Task A_host_name_resolving_to_loopback_is_warned_about()
    {
        // The machine's own name: on machines whose hosts file maps it to 127.x (Debian's habit, and this CI image)
        // the daemon must warn; where it resolves to a real address it must not.
        string host = System.Net.Dns.GetHostName();
        bool loopback = System.Net.Dns.GetHostAddresses(host).Any(System.Net.IPAddress.IsLoopback);
        var logger = new CapturingLogger<PyroDaemon>();
        await using (new PyroDaemon(new PyroDaemonOptions { Host = host }, logger)) { }
        Assert.Equal(loopback, logger.Inner.Lines.Any(l => l.StartsWith($"Warning: Host name '{host}' resolves to the loopback address", StringComparison.Ordinal)));

        var quiet = new CapturingLogger<PyroDaemon>();
        await using (new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" }, quiet)) { }
        Assert.DoesNotContain(quiet.Inner.Lines, l => l.Contains("loopback"));
    }
}

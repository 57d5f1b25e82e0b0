using Microsoft.Extensions.Logging;

namespace TypedPyro.Fuzz;

/// <summary>
/// A daemon's whole request path over an in-process connected pair (<see cref="PyroConnectedPair"/>,
/// <see cref="PyroDaemon.ServeConnectedAsync"/>): framing, serializers, batches, attributes, oneway calls, streams,
/// PING, error replies. The input is what the client sends; then it hangs up. The daemon must end that connection by
/// itself, without an unexpected error logged, and stay able to serve the next.
/// </summary>
/// <remarks>
/// The first input byte chooses the daemon (bit 0): Pyro's defaults (threaded oneway calls, no size limit) or
/// oneway calls in line and MAX_MESSAGE_SIZE 64 KiB. Both accept serpent, json, marshal and msgpack.
/// </remarks>
public sealed class DaemonRequestTarget : IFuzzTarget
{
    /// <summary>The object the inputs call (the seeds name it, as the golden vectors do).</summary>
    public const string ObjectId = "test.echoserver";

    private static readonly Lazy<Daemons> Shared = new(() => new Daemons(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly TimeSpan ConnectionLimit = TimeSpan.FromSeconds(10);

    /// <inheritdoc/>
    public string Name => "daemon";

    /// <inheritdoc/>
    public void Run(byte[] input)
    {
        if (input.Length == 0) return;
        var daemons = Shared.Value;
        var (daemon, log) = (input[0] & 1) == 0 ? (daemons.Defaults, daemons.DefaultsLog) : (daemons.Limited, daemons.LimitedLog);
        var (served, client) = PyroConnectedPair.Create();
        var serving = daemon.ServeConnectedAsync(served);
        // Replies are read away as they come, so that a daemon answering many requests never waits for room.
        var draining = DrainAsync(client);
        try
        {
            client.Write(input, 1, input.Length - 1);
        }
        catch (IOException)
        {
            // The daemon closed the connection before it read everything (a protocol violation ends it).
        }
        client.Dispose();
        if (!serving.Wait(ConnectionLimit)) throw new FuzzInvariantException("the daemon did not end a connection whose client hung up");
        if (!draining.Wait(ConnectionLimit)) throw new FuzzInvariantException("the client side of the pair did not end");
        log.ThrowIfUnexpected();
    }

    private static async Task DrainAsync(Stream client)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (await client.ReadAsync(buffer).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or IOException)
        {
            // The client hung up while a read was pending: the pipe reports its completed reader so.
        }
    }

    private sealed class Daemons
    {
        public readonly UnexpectedErrorLog DefaultsLog = new();
        public readonly UnexpectedErrorLog LimitedLog = new();
        public readonly PyroDaemon Defaults;
        public readonly PyroDaemon Limited;

        public Daemons()
        {
            Defaults = Create(Config(c => { }), DefaultsLog);
            Limited = Create(Config(c =>
            {
                c.OnewayThreaded = false;
                c.MaxMessageSize = 64 * 1024;
            }), LimitedLog);
        }

        private static PyroConfig Config(Action<PyroConfig> change)
            // No PYRO_* variables: every run of a target sees the same daemon.
            => PyroConfig.FromEnvironment(new Dictionary<string, string?>()).With(c =>
            {
                c.SerializersAccepted = new HashSet<string> { "serpent", "json", "marshal", "msgpack" };
                change(c);
            });

        private static PyroDaemon Create(PyroConfig config, UnexpectedErrorLog log)
        {
            // Bound to a loopback port it never listens on: the fuzzed connections are in-process pairs.
            var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Port = 0, Config = config }, log);
            daemon.Register(EchoServer(), ObjectId);
            return daemon;
        }

        /// <summary>Pyro's test echo server's shape: a method, a failing one, a oneway one, an attribute, a stream.</summary>
        private static IPyroDispatcher EchoServer()
        {
            object? value = "initial";
            return new PyroObjectBuilder("EchoServer")
                .Method("echo", call => call.Arg(0, "message", optional: true))
                .Method("error", _ => throw new ArgumentException("this is the generated error from the echo server"))
                .Method("count", call => Enumerable.Range(0, 3).Select(i => (object?)(long)i))
                .Oneway("oneway_echo", _ => { })
                .Attribute("value", () => value, v => value = v)
                .Build();
        }
    }

    /// <summary>Collects the daemon's "unexpected error" log entries: each is a crash of the fuzzed code.</summary>
    private sealed class UnexpectedErrorLog : ILogger<PyroDaemon>
    {
        private readonly Lock _lock = new();
        private Exception? _first;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Event 9 is a oneway method's own failure, reported as Pyro does; every other error is the daemon's.
            if (logLevel < LogLevel.Error || eventId.Id == 9) return;
            lock (_lock) _first ??= exception ?? new FuzzInvariantException(formatter(state, exception));
        }

        public void ThrowIfUnexpected()
        {
            Exception? found;
            lock (_lock) (found, _first) = (_first, null);
            if (found is not null) throw new FuzzInvariantException("the daemon logged an unexpected error: " + found);
        }
    }
}

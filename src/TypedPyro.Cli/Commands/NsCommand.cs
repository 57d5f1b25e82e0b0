using System.CommandLine;
using System.Runtime.InteropServices;
using TypedPyro.Naming;
using TypedPyro.Naming.Redis;

namespace TypedPyro.Cli.Commands;

/// <summary><c>typedpyro ns</c>: the .NET twin of <c>pyro4-ns</c> (<c>python3 -m Pyro4.naming</c>).</summary>
internal static class NsCommand
{
    /// <summary>Exit code for invalid options (an unknown storage type).</summary>
    public const int UsageError = 2;
    /// <summary>Exit code when the name server cannot start (address in use, unusable storage file, Redis unreachable).</summary>
    public const int StartError = 3;

    /// <summary>What <c>typedpyro ns</c> was asked to do.</summary>
    public sealed record Settings
    {
        public string? Host { get; init; }
        public int? Port { get; init; }
        public string? UnixSocket { get; init; }
        public string Storage { get; init; } = "memory";
        public string? BroadcastHost { get; init; }
        public int? BroadcastPort { get; init; }
        public bool EnableBroadcast { get; init; } = true;
        public string? NatHost { get; init; }
        public int? NatPort { get; init; }
        public PyroConfig? Config { get; init; }
    }

    public static Command Create()
    {
        var host = new Option<string?>("--host", "-n") { Description = "hostname to bind server on" };
        var port = new Option<int?>("--port", "-p") { Description = "port to bind server on (0=random)" };
        var unixSocket = new Option<string?>("--unixsocket", "-u") { Description = "Unix domain socket name to bind server on" };
        var storage = new Option<string>("--storage", "-s") { Description = "Storage system to use (memory, sql:file, redis://host:port[/db] or redis:<StackExchange.Redis configuration>; password from " + RedisStorageSpec.PasswordVariable + ")", DefaultValueFactory = _ => "memory" };
        var bcHost = new Option<string?>("--bchost") { Description = "hostname to bind broadcast server on (default is \"\")" };
        var bcPort = new Option<int?>("--bcport") { Description = "port to bind broadcast server on (0=random)" };
        var natHost = new Option<string?>("--nathost") { Description = "external hostname in case of NAT" };
        var natPort = new Option<int?>("--natport") { Description = "external port in case of NAT" };
        var noBroadcast = new Option<bool>("--nobc", "-x") { Description = "don't start a broadcast server" };
        var command = new Command("ns", "Run a Pyro4 name server (like pyro4-ns); the HMAC key comes from PYRO_HMAC_KEY.")
        {
            host, port, unixSocket, storage, bcHost, bcPort, natHost, natPort, noBroadcast,
        };
        command.SetAction((result, cancellationToken) => RunAsync(new Settings
        {
            Host = result.GetValue(host),
            Port = result.GetValue(port),
            UnixSocket = result.GetValue(unixSocket),
            Storage = result.GetValue(storage) ?? "memory",
            BroadcastHost = result.GetValue(bcHost),
            BroadcastPort = result.GetValue(bcPort),
            EnableBroadcast = !result.GetValue(noBroadcast),
            NatHost = result.GetValue(natHost),
            NatPort = result.GetValue(natPort),
        }, Console.Out, Console.Error, cancellationToken));
        return command;
    }

    /// <summary>Runs a name server until <paramref name="cancellationToken"/> is cancelled (Ctrl-C).</summary>
    /// <param name="started">Called once the name server serves (tests use it to reach the host).</param>
    public static async Task<int> RunAsync(Settings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken, Action<NameServerHost>? started = null)
    {
        var key = Secrets.HmacKeyFromEnvironment();
        NameServerHost host;
        try
        {
            host = NameServerHost.Create(new NameServerHostOptions
            {
                Host = settings.Host,
                Port = settings.Port,
                UnixSocket = settings.UnixSocket,
                Storage = settings.Storage,
                // A Redis registry is opened here: the core's NameServerStorage.Open knows only memory and sql.
                StorageProvider = RedisStorageSpec.IsRedis(settings.Storage) ? RedisNameServerStorage.Open(settings.Storage) : null,
                BroadcastHost = settings.BroadcastHost,
                BroadcastPort = settings.BroadcastPort,
                EnableBroadcast = settings.EnableBroadcast,
                NatHost = settings.NatHost,
                NatPort = settings.NatPort,
                HmacKey = key,
                Config = settings.Config,
            });
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            error.WriteLine($"error: {e.Message}");
            return UsageError;
        }
        catch (PyroException e)
        {
            error.WriteLine($"error: {e.Message}");
            return StartError;
        }

        await using (host.ConfigureAwait(false))
        {
            if (host.BroadcastNote is { } note) output.WriteLine(note);
            if (host.BroadcastServer is { } broadcast) output.WriteLine($"Broadcast server running on {broadcast.LocationString}");
            int existing = host.NameServer.Count();
            if (existing > 1) output.WriteLine($"Persistent store contains {existing} existing registrations.");
            output.WriteLine($"NS running on {host.Daemon.LocationUri.Location} ({host.HostIp})");
            if (key is null) output.WriteLine("Warning: HMAC key not set. Anyone can connect to this server!");
            if (host.Daemon.NatUri is not null)
            {
                output.WriteLine($"internal URI = {host.InternalUri}");
                output.WriteLine($"external URI = {host.Uri}");
            }
            else
            {
                output.WriteLine($"URI = {host.Uri}");
            }
            output.Flush();
            // Ctrl-C / SIGTERM stop the name server cleanly and exit 0 after "NS shut down.", as pyro4-ns does.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
            host.Start();
            started?.Invoke(host);
            await host.RunAsync(stop.Token).ConfigureAwait(false);
        }
        output.WriteLine("NS shut down.");
        output.Flush();
        return 0;
    }
}

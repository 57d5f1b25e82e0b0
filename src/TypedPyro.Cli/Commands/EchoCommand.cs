using System.CommandLine;

namespace TypedPyro.Cli.Commands;

/// <summary>
/// <c>typedpyro echo</c>: the .NET twin of <c>python3 -m Pyro4.test.echoserver</c> and, on the same port, of
/// <c>python3 -m Pyro5.utils.echoserver</c> (each client is served in its own protocol). <c>--protocol 5</c> makes
/// <c>-n</c> register in a Pyro5 name server.
/// </summary>
internal static class EchoCommand
{
    public const string ObjectName = "test.echoserver";

    public static Command Create()
    {
        var host = new Option<string>("--host", "-H") { Description = "hostname to bind server on", DefaultValueFactory = _ => "localhost" };
        var port = new Option<int>("--port", "-p") { Description = "port to bind server on (0 = any free port)" };
        var unixSocket = new Option<string?>("--unixsocket", "-u") { Description = "Unix domain socket name to bind server on" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "verbose output" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "don't output anything" };
        var naming = new Option<bool>("--naming", "-n") { Description = "register with nameserver" };
        var nameServer = new Option<bool>("--nameserver", "-N") { Description = "also start a nameserver" };
        var protocol = ProtocolOption.Create("wire protocol to the name server of -n: 4 (Pyro4) or 5 (Pyro5); clients may use either");
        var command = new Command("echo", "Run the echo server (object 'test.echoserver'); the HMAC key comes from PYRO_HMAC_KEY.")
        {
            host, port, unixSocket, naming, nameServer, verbose, quiet, protocol,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            bool isVerbose = result.GetValue(verbose);
            bool isQuiet = result.GetValue(quiet) && !isVerbose;
            return await RunAsync(result.GetValue(host)!, result.GetValue(port), result.GetValue(unixSocket), isVerbose, isQuiet, Console.Out, cancellationToken,
                naming: result.GetValue(naming), startNameServer: result.GetValue(nameServer), protocol: result.GetValue(protocol)).ConfigureAwait(false);
        });
        return command;
    }

    public static Task<int> RunAsync(string host, int port, string? unixSocket, bool verbose, bool quiet, TextWriter output, CancellationToken cancellationToken)
        => RunAsync(host, port, unixSocket, verbose, quiet, output, cancellationToken, naming: false, startNameServer: false);

    /// <summary>
    /// Runs the echo server; with <paramref name="naming"/> it registers in a name server found by
    /// <see cref="Naming.NameServerLocator.LocateAsync"/>, with <paramref name="startNameServer"/> it first starts one on
    /// <paramref name="host"/> (NS_PORT, broadcast unless on loopback) and registers there, as Python's echo server does.
    /// </summary>
    public static async Task<int> RunAsync(string host, int port, string? unixSocket, bool verbose, bool quiet, TextWriter output, CancellationToken cancellationToken,
        bool naming, bool startNameServer, PyroConfig? config = null, int protocol = 4)
    {
        config = (config ?? PyroConfig.Default).With(c => { c.ServerType = "multiplex"; });
        if (startNameServer) naming = true;
        if (!quiet) output.WriteLine("Starting Pyro's built-in test echo server.");
        var key = Secrets.HmacKeyFromEnvironment();
        if (naming && !ProtocolOption.AllowsKey(protocol, key, Console.Error)) return 2;
        if (key is null && !quiet) output.WriteLine("Warning: HMAC key not set. Anyone can connect to this server!");

        Naming.NameServerHost? nameServerHost = null;
        if (startNameServer)
        {
            try
            {
                nameServerHost = Naming.NameServerHost.Create(new Naming.NameServerHostOptions { Host = host, HmacKey = key, Config = config });
                nameServerHost.Start();
            }
            catch (Exception e) when (e is PyroException or ArgumentException)
            {
                Console.Error.WriteLine($"error: cannot start the name server: {e.Message}");
                return 3;
            }
        }
        await using var nameServerLifetime = nameServerHost;

        PyroDaemon daemon;
        try
        {
            daemon = new PyroDaemon(new PyroDaemonOptions
            {
                Host = host,
                Port = port,
                UnixSocket = unixSocket,
                HmacKey = key,
                // The echo server runs the multiplex server, as Python's does.
                Config = config,
            });
        }
        catch (Exception e) when (e is PyroException or System.Net.Sockets.SocketException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 3;
        }

        await using (daemon.ConfigureAwait(false))
        {
            var echo = new EchoServerObject(verbose, output);
            // Let the reply to shutdown() go out before the daemon closes its connections.
            echo.ShutdownRequested += () => _ = Task.Delay(200, CancellationToken.None).ContinueWith(_ => daemon.Shutdown(), TaskScheduler.Default);
            var uri = daemon.Register(echo.CreateDispatcher(), ObjectName);
            if (naming)
            {
                try
                {
                    string? nsHost = nameServerHost?.Uri.Host;
                    int? nsPort = nameServerHost?.Uri.Port;
                    await using var ns = await Naming.NameServerLocator.LocateAsync(nsHost, nsPort, options: new PyroProxyOptions { HmacKey = key, Config = config, Protocol = protocol }, cancellationToken: cancellationToken).ConfigureAwait(false);
                    await ns.RegisterAsync(ObjectName, uri, cancellationToken: cancellationToken).ConfigureAwait(false);
                    if (verbose)
                    {
                        output.WriteLine($"using name server at {ns.Uri}");
                        if (nameServerHost is not null)
                        {
                            output.WriteLine(nameServerHost.BroadcastServer is { } bc ? $"broadcast server running at {bc.LocationString}" : "not using a broadcast server");
                        }
                    }
                }
                catch (PyroException e)
                {
                    Console.Error.WriteLine($"error: {e.Message}");
                    return 3;
                }
            }
            else if (verbose)
            {
                output.WriteLine("not using a name server.");
            }
            if (!quiet)
            {
                output.WriteLine($"object name: {ObjectName}");
                output.WriteLine($"echo uri: {uri}");
                output.WriteLine("echoserver running.");
            }
            output.Flush();
            await daemon.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        return 0;
    }
}

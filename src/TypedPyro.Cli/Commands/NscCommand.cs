using System.CommandLine;
using TypedPyro.Naming;
using TypedPyro.Serialization;

namespace TypedPyro.Cli.Commands;

/// <summary>
/// <c>typedpyro nsc</c>: the .NET twin of <c>pyro4-nsc</c> (<c>python3 -m Pyro4.nsc</c>), with its commands, output
/// and exit codes: 0 after a command ran (also when it printed <c>Error: Type - message</c>, as Python's tool does),
/// 1 for a wrong number of arguments, 2 for a missing or unknown command. With <c>--protocol 5</c> it talks Pyro5 to
/// the name server (Python's <c>python3 -m Pyro5.nsc</c> or <c>typedpyro ns</c>): the metadata searches go by Pyro5's
/// <c>yplookup</c>.
/// </summary>
internal static class NscCommand
{
    public const int ArgumentCountError = 1;
    public const int UsageError = 2;

    private static readonly string[] Commands =
        ["register", "remove", "removematching", "list", "listmatching", "lookup", "listmeta_all", "listmeta_any", "yplookup_all", "yplookup_any", "setmeta", "ping"];

    private const string Usage = """
        Usage: typedpyro nsc [options] command [arguments]
        Commands: register remove removematching lookup list listmatching
                  listmeta_all listmeta_any yplookup_all yplookup_any setmeta ping
        """;

    public static Command Create()
    {
        var host = new Option<string?>("--host", "-n") { Description = "hostname of the NS" };
        var port = new Option<int?>("--port", "-p") { Description = "port of the NS (or bc-port if host isn't specified)" };
        var unixSocket = new Option<string?>("--unixsocket", "-u") { Description = "Unix domain socket name of the NS" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "verbose output" };
        var protocol = ProtocolOption.Create("wire protocol to the name server: 4 (Pyro4) or 5 (Pyro5)");
        var words = new Argument<string[]>("command") { Description = "the command and its arguments", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("nsc", "Name server control tool (like pyro4-nsc); the HMAC key comes from PYRO_HMAC_KEY.")
        {
            host, port, unixSocket, verbose, protocol, words,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(host), result.GetValue(port), result.GetValue(unixSocket), result.GetValue(verbose), result.GetValue(words) ?? [],
            Console.In, Console.Out, Console.Error, null, cancellationToken, result.GetValue(protocol)));
        return command;
    }

    /// <summary>Runs one nsc command.</summary>
    /// <param name="config">Configuration for locating the name server; null = <see cref="PyroConfig.Default"/>.</param>
    public static async Task<int> RunAsync(string? host, int? port, string? unixSocket, bool verbose, string[] args,
        TextReader input, TextWriter output, TextWriter error, PyroConfig? config, CancellationToken cancellationToken, int protocol = 4)
    {
        if (args.Length == 0 || Array.IndexOf(Commands, args[0]) < 0)
        {
            error.WriteLine(Usage);
            error.WriteLine();
            error.WriteLine("typedpyro nsc: error: invalid or missing command");
            return UsageError;
        }
        if (verbose) output.WriteLine("Locating name server...");
        if (unixSocket is not null) host = "./u:" + unixSocket;
        var key = Secrets.HmacKeyFromEnvironment();
        if (!ProtocolOption.AllowsKey(protocol, key, error)) return UsageError;
        var options = new PyroProxyOptions { HmacKey = key, Config = config, Protocol = protocol };
        NameServerClient nameServer;
        try
        {
            nameServer = await NameServerLocator.LocateAsync(host, port, options: options, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (PyroException e)
        {
            output.WriteLine($"Error: {e.Message}");
            return 0;
        }
        await using (nameServer.ConfigureAwait(false))
        {
            if (verbose) output.WriteLine($"Name server found: {nameServer.Uri}");
            try
            {
                await HandleAsync(nameServer, args, input, output, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentCountException e)
            {
                output.Flush();
                error.WriteLine(e.Message);
                return ArgumentCountError;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                output.WriteLine($"Error: {PythonTypeName(e)} - {e.Message}");
            }
            if (verbose) output.WriteLine("Done.");
        }
        return 0;
    }

    private static async Task HandleAsync(NameServerClient ns, string[] args, TextReader input, TextWriter output, CancellationToken ct)
    {
        switch (args[0])
        {
            case "ping":
                await ns.PingAsync(ct).ConfigureAwait(false);
                output.WriteLine("Name server ping ok.");
                break;
            case "list":
                if (args.Length == 1) PrintList(output, await ns.ListWithMetadataAsync(cancellationToken: ct).ConfigureAwait(false), "");
                else PrintList(output, await ns.ListWithMetadataAsync(prefix: args[1], cancellationToken: ct).ConfigureAwait(false), $"- prefix '{args[1]}'");
                break;
            case "listmatching":
                Require(args.Length == 2, "requires one argument: pattern");
                PrintList(output, await ns.ListWithMetadataAsync(regex: args[1], cancellationToken: ct).ConfigureAwait(false), $"- regex '{args[1]}'");
                break;
            case "lookup":
            {
                Require(args.Length == 2, "requires one argument: name");
                var registration = await ns.LookupWithMetadataAsync(args[1], ct).ConfigureAwait(false);
                output.WriteLine(registration.ParsedUri);
                if (registration.Metadata.Count > 0) output.WriteLine("metadata: " + FormatTags(registration));
                break;
            }
            case "register":
                Require(args.Length == 3, "requires two arguments: name uri");
                await ns.RegisterAsync(args[1], args[2], safe: true, cancellationToken: ct).ConfigureAwait(false);
                output.WriteLine($"Registered {args[1]}");
                break;
            case "remove":
                Require(args.Length == 2, "requires one argument: name");
                output.WriteLine(await ns.RemoveAsync(args[1], cancellationToken: ct).ConfigureAwait(false) > 0 ? $"Removed {args[1]}" : "Nothing removed");
                break;
            case "removematching":
            {
                Require(args.Length == 2, "requires one argument: pattern");
                output.Write("Potentially removing lots of items from the Name server. Are you sure (y/n)?");
                output.Flush();
                var answer = await input.ReadLineAsync(ct).ConfigureAwait(false) ?? throw new EndOfStreamException("EOF when reading a line");
                if (answer.Trim() is "y" or "Y")
                {
                    int count = await ns.RemoveAsync(regex: args[1], cancellationToken: ct).ConfigureAwait(false);
                    output.WriteLine($"{count} items removed.");
                }
                break;
            }
            case "setmeta":
            {
                Require(args.Length >= 2, "requires at least 2 arguments: uri and zero or more meta tags");
                var tags = args[2..];
                await ns.SetMetadataAsync(args[1], tags, ct).ConfigureAwait(false);
                output.WriteLine(tags.Length > 0 ? "Metadata updated" : "Metadata cleared");
                break;
            }
            case "listmeta_all" or "yplookup_all":
                Require(args.Length >= 2, "requires at least one metadata tag argument");
                PrintList(output, await ns.ListWithMetadataAsync(metadataAll: args[1..], cancellationToken: ct).ConfigureAwait(false), " - searched by metadata");
                break;
            case "listmeta_any" or "yplookup_any":
                Require(args.Length >= 2, "requires at least one metadata tag argument");
                PrintList(output, await ns.ListWithMetadataAsync(metadataAny: args[1..], cancellationToken: ct).ConfigureAwait(false), " - searched by metadata");
                break;
        }
    }

    private static void PrintList(TextWriter output, IReadOnlyList<NameRegistration> registrations, string title)
    {
        var sorted = registrations.ToList();
        sorted.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        output.WriteLine("--------START LIST " + title);
        foreach (var r in sorted)
        {
            output.WriteLine($"{r.Name} --> {r.Uri}");
            if (r.Metadata.Count > 0) output.WriteLine("    metadata: " + FormatTags(r));
        }
        output.WriteLine("--------END LIST " + title);
    }

    // Python prints the metadata list in set order (arbitrary); TypedPyro sorts it so output is stable.
    private static string FormatTags(NameRegistration registration)
    {
        var tags = registration.Metadata.ToList();
        tags.Sort(StringComparer.Ordinal);
        return PythonRepr.Format(tags.Cast<object?>().ToList());
    }

    private static string PythonTypeName(Exception e)
    {
        var name = e switch
        {
            EndOfStreamException => "EOFError",
            _ => e.GetRemoteException()?.RemoteTypeName ?? PyroExceptionMapping.ToPythonName(e),
        };
        return name[(name.LastIndexOf('.') + 1)..];
    }

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentCountException(message);
    }

    private sealed class ArgumentCountException(string message) : Exception(message);
}

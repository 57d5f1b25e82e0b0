using System.CommandLine;
using TypedPyro.Cli.Commands.Scaffold;

namespace TypedPyro.Cli.Commands;

/// <summary>
/// <c>typedpyro scaffold URI [--namespace N] [-o FILE] [--sample CALL...]</c>: asks a running daemon (Python or .NET)
/// for an object's metadata and writes a C# contract for it that compiles with the TypedPyro package.
/// </summary>
internal static class ScaffoldCommand
{
    /// <summary>Exit code when a sample call raised a remote exception.</summary>
    public const int RemoteError = 1;
    /// <summary>Exit code for bad command-line input (URI, sample, names).</summary>
    public const int UsageError = 2;
    /// <summary>Exit code for connection failures and timeouts.</summary>
    public const int CommunicationError = 3;

    public static Command Create()
    {
        var uri = new Argument<string>("uri") { Description = "the object's URI: PYRO:obj@host:port or PYRONAME:name" };
        var ns = new Option<string>("--namespace", "-n") { Description = "namespace of the contract", DefaultValueFactory = _ => "PyroContracts" };
        var output = new Option<string?>("--output", "-o") { Description = "file to write (default: standard output)" };
        var name = new Option<string?>("--name") { Description = "interface name (default: I + the object id's last part)" };
        var sample = new Option<string[]>("--sample") { Description = "call once to type a member: NAME(ARGS) with Python literals, or NAME to read an attribute", AllowMultipleArgumentsPerToken = true };
        var timeout = new Option<double>("--timeout", "-t") { Description = "timeout in seconds", DefaultValueFactory = _ => 10 };
        var command = new Command("scaffold", "Write a C# [Expose] contract for a remote object, from its metadata (and sample calls).")
        {
            uri, ns, output, name, sample, timeout,
        };
        command.SetAction((result, cancellationToken) => RunAsync(new ScaffoldRequest(
                result.GetValue(uri)!, result.GetValue(ns)!, result.GetValue(name), result.GetValue(sample) ?? [], result.GetValue(timeout)),
            result.GetValue(output), PyroConfig.FromEnvironment(), Secrets.HmacKeyFromEnvironment(), Console.Out, Console.Error, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(ScaffoldRequest request, string? outputPath, PyroConfig config, byte[]? hmacKey,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        PyroUri uri;
        List<SampleRequest> samples;
        try
        {
            uri = PyroUri.Parse(request.Uri);
            samples = request.Samples.Select(SampleRequest.Parse).ToList();
            if (request.Namespace.Split('.').Any(p => !CSharpNames.IsIdentifier(p)))
                throw new ArgumentException($"--namespace {request.Namespace}: not a C# namespace name");
            if (request.InterfaceName is { } n && !CSharpNames.IsIdentifier(n)) throw new ArgumentException($"--name {n}: not a C# identifier");
            if (request.TimeoutSeconds <= 0 || double.IsNaN(request.TimeoutSeconds)) throw new ArgumentException("--timeout must be a positive number of seconds");
        }
        catch (Exception e) when (e is PyroException or ArgumentException)
        {
            error.WriteLine($"error: {e.Message}");
            return UsageError;
        }

        string text;
        int methods, attributes;
        try
        {
            var options = new PyroProxyOptions { HmacKey = hmacKey, Timeout = TimeSpan.FromSeconds(request.TimeoutSeconds), Config = config };
            await using var proxy = new PyroProxy(uri, options);
            await proxy.ConnectAsync(cancellationToken).ConfigureAwait(false);
            if (proxy.Metadata is not { IsEmpty: false } metadata)
            {
                error.WriteLine($"error: {uri} exposes nothing (or its daemon sent no metadata): there is nothing to scaffold");
                return CommunicationError;
            }
            var sampled = await ContractSampler.RunAsync(proxy, metadata, samples, cancellationToken).ConfigureAwait(false);
            // A PYRONAME's name says more than the daemon's object id (serveSimple registers "obj_<uuid>").
            var objectId = uri.Protocol == PyroUriProtocol.PyroName ? uri.Object : (proxy.ResolvedUri ?? uri).Object;
            var contract = ContractBuilder.Build(request.Namespace, request.InterfaceName ?? CSharpNames.InterfaceFor(objectId), objectId, request.Uri, metadata, sampled);
            text = ContractWriter.Write(contract);
            methods = contract.Members.Count(m => m.Kind == ScaffoldMemberKind.Method);
            attributes = contract.Members.Count(m => m.Kind == ScaffoldMemberKind.Attribute);
        }
        catch (Exception e) when (e.GetRemoteException() is { } remote)
        {
            // Before ArgumentException: Python's ValueError arrives as one.
            error.WriteLine($"error: a sample call raised {remote.RemoteTypeName}: {remote.Message}");
            return RemoteError;
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"error: {e.Message}");
            return UsageError;
        }
        catch (Exception e) when (e is PyroException or IOException or MissingMemberException)
        {
            error.WriteLine($"error: {e.Message}");
            return CommunicationError;
        }

        if (outputPath is null)
        {
            output.Write(text);
            return 0;
        }
        try
        {
            await File.WriteAllTextAsync(outputPath, text, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: cannot write {outputPath}: {e.Message}");
            return UsageError;
        }
        output.WriteLine($"wrote {outputPath}: {methods} methods, {attributes} attributes");
        return 0;
    }
}

/// <summary>What to scaffold: the object, the contract's names, and the sample calls (raw command-line text).</summary>
internal sealed record ScaffoldRequest(string Uri, string Namespace, string? InterfaceName, IReadOnlyList<string> Samples, double TimeoutSeconds = 10);

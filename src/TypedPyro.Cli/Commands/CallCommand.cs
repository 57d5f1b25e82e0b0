using System.CommandLine;
using System.Text;
using System.Text.RegularExpressions;
using TypedPyro.Serialization;

namespace TypedPyro.Cli.Commands;

/// <summary>
/// <c>typedpyro call URI METHOD [ARG...]</c>: calls any Pyro object. Arguments are Python literals
/// (<c>"{'a': (1, 2.5)}"</c>); <c>name=literal</c> passes a keyword argument. The result prints as a Python literal.
/// </summary>
internal static partial class CallCommand
{
    /// <summary>Exit code for a remote exception.</summary>
    public const int RemoteError = 1;
    /// <summary>Exit code for bad command-line input (URI, literal).</summary>
    public const int UsageError = 2;
    /// <summary>Exit code for connection failures and timeouts.</summary>
    public const int CommunicationError = 3;

    public static Command Create()
    {
        var uri = new Argument<string>("uri") { Description = "the object's URI, e.g. PYRO:test.echoserver@localhost:9999" };
        var method = new Argument<string>("method") { Description = "the method to call" };
        var args = new Argument<string[]>("args") { Description = "arguments as Python literals; name=literal for keyword arguments", Arity = ArgumentArity.ZeroOrMore };
        var serializer = new Option<string>("--serializer", "-s") { Description = "serpent or json", DefaultValueFactory = _ => "serpent" };
        serializer.AcceptOnlyFromAmong("serpent", "json");
        var oneway = new Option<bool>("--oneway") { Description = "call oneway: do not wait for a result" };
        var timeout = new Option<double>("--timeout", "-t") { Description = "timeout in seconds (0 = none)" };
        var protocol = ProtocolOption.Create();
        var command = new Command("call", "Call a method of any Pyro object and print the result as a Python literal.")
        {
            uri, method, args, serializer, oneway, timeout, protocol,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(uri)!, result.GetValue(method)!, result.GetValue(args) ?? [], result.GetValue(serializer)!,
            result.GetValue(oneway), result.GetValue(timeout), Console.Out, Console.Error, cancellationToken, result.GetValue(protocol)));
        return command;
    }

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", RegexOptions.Singleline)]
    private static partial Regex KeywordArgument();

    public static async Task<int> RunAsync(string uriText, string method, string[] literals, string serializerName, bool oneway, double timeoutSeconds,
        TextWriter output, TextWriter error, CancellationToken cancellationToken, int protocol = 4)
    {
        PyroUri uri;
        var positional = new List<object?>();
        var keywords = new Dictionary<string, object?>(StringComparer.Ordinal);
        try
        {
            uri = PyroUri.Parse(uriText);
            foreach (var literal in literals)
            {
                var keyword = KeywordArgument().Match(literal);
                if (keyword.Success) keywords[keyword.Groups[1].Value] = ParseLiteral(keyword.Groups[2].Value);
                else if (keywords.Count > 0) throw new ArgumentException("positional argument follows keyword argument");
                else positional.Add(ParseLiteral(literal));
            }
        }
        catch (Exception e) when (e is PyroException or ArgumentException)
        {
            error.WriteLine($"error: {e.Message}");
            return UsageError;
        }

        var hmacKey = Secrets.HmacKeyFromEnvironment();
        if (!ProtocolOption.AllowsKey(protocol, hmacKey, error)) return UsageError;
        var options = new PyroProxyOptions
        {
            Serializer = serializerName == "json" ? SerializerId.Json : SerializerId.Serpent,
            HmacKey = hmacKey,
            Protocol = protocol,
            Timeout = timeoutSeconds > 0 ? TimeSpan.FromSeconds(timeoutSeconds) : Timeout.InfiniteTimeSpan,
        };
        PyroProxy proxy;
        try
        {
            proxy = new PyroProxy(uri, options); // reads the PYRO_SSL_* certificate files
        }
        catch (PyroException e)
        {
            error.WriteLine($"error: {e.Message}");
            return UsageError;
        }
        await using var owned = proxy;
        try
        {
            if (oneway)
            {
                await proxy.InvokeOnewayAsync(method, positional, keywords, cancellationToken).ConfigureAwait(false);
                return 0;
            }
            var result = await proxy.InvokeAsync(method, positional, keywords, cancellationToken).ConfigureAwait(false);
            if (result is PyroRemoteIterator iterator)
            {
                // A remote generator prints as the list of its items.
                var items = new List<object?>();
                await foreach (var item in iterator.WithCancellation(cancellationToken).ConfigureAwait(false)) items.Add(item);
                result = items;
            }
            output.WriteLine(PythonRepr.Format(result));
            return 0;
        }
        catch (Exception e) when (e.GetRemoteException() is { } remote)
        {
            error.WriteLine($"remote exception: {remote.RemoteTypeName}: {remote.Message}");
            if (remote.RemoteTraceback is { } traceback)
            {
                error.WriteLine(" +--- Remote traceback:");
                error.Write(traceback);
            }
            return RemoteError;
        }
        catch (PyroTimeoutException e)
        {
            error.WriteLine($"error: timeout: {e.Message}");
            return CommunicationError;
        }
        catch (CommunicationException e)
        {
            error.WriteLine($"error: {e.Message}");
            return CommunicationError;
        }
        catch (Exception e) when (e is PyroException or MissingMemberException)
        {
            error.WriteLine($"error: {e.Message}");
            return CommunicationError;
        }
    }

    private static object? ParseLiteral(string literal)
    {
        try
        {
            return PyroSerializers.Serpent.Deserialize(Encoding.UTF8.GetBytes(literal));
        }
        catch (SerializeException e)
        {
            throw new ArgumentException($"not a Python literal: {literal} ({e.Message})", e);
        }
    }
}

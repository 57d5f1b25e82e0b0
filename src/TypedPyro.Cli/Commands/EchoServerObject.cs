namespace TypedPyro.Cli.Commands;

/// <summary>
/// The .NET twin of Python's <c>Pyro4.test.echoserver.EchoServer</c>: the same method names, oneway markers,
/// attribute, results and exceptions, so clients written for one work against the other.
/// </summary>
internal sealed class EchoServerObject
{
    private readonly TextWriter _out;
    private volatile bool _verbose;

    public EchoServerObject(bool verbose, TextWriter output)
    {
        _verbose = verbose;
        _out = output;
    }

    /// <summary>Raised when a client calls <c>shutdown()</c>.</summary>
    public event Action? ShutdownRequested;

    public IPyroDispatcher CreateDispatcher() => new PyroObjectBuilder("EchoServer")
        .Method("echo", call =>
        {
            call.ExpectAtMost(1, "message");
            var message = call.Arg(0, "message");
            Log($"echo: {Serialization.PythonRepr.Format(message)}");
            return message;
        })
        .Method("error", call =>
        {
            call.ExpectAtMost(0);
            Log("error: generating exception");
            throw new ArgumentException("expected error from echoserver error() method");
        })
        .Method("error_with_text", call =>
        {
            call.ExpectAtMost(0);
            Log("error: generating exception");
            throw new ArgumentException("the message of the error");
        })
        .Oneway("oneway_echo", call =>
        {
            call.ExpectAtMost(1, "message");
            Log($"oneway_echo: {Serialization.PythonRepr.Format(call.Arg(0, "message"))}");
        })
        .MethodAsync("slow", async call =>
        {
            call.ExpectAtMost(0);
            Log("slow: waiting a bit...");
            await Task.Delay(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            Log("slow: returning result");
            return "Finally, an answer!";
        })
        .Method("generator", call => { call.ExpectAtMost(0); return Generator(); })
        .Method("nan", call => { call.ExpectAtMost(0); return double.NaN; })
        .Method("inf", call => { call.ExpectAtMost(0); return double.PositiveInfinity; })
        .OnewayAsync("oneway_slow", async call =>
        {
            call.ExpectAtMost(0);
            Log("oneway_slow: waiting a bit...");
            await Task.Delay(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            Log("oneway_slow: returning result");
        })
        .Method("__dunder__", call => { call.ExpectAtMost(0); return "should be allowed (dunder)"; })
        .Method("shutdown", call =>
        {
            call.ExpectAtMost(0);
            Log("shutting down");
            ShutdownRequested?.Invoke();
            return null;
        })
        .Attribute("verbose", () => _verbose, value => _verbose = IsTruthy(value))
        .Build();

    private static IEnumerable<object?> Generator()
    {
        yield return "one";
        yield return "two";
        yield return "three";
    }

    // Python's bool(x) for the values a client may send.
    private static bool IsTruthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        System.Collections.ICollection c => c.Count > 0,
        _ => true,
    };

    private void Log(string text)
    {
        if (_verbose) _out.WriteLine($"{DateTime.Now:ddd MMM d HH:mm:ss yyyy} - {text}");
    }
}

namespace TypedPyro.Cli.Commands;

/// <summary>
/// The .NET twin of Python's <c>Pyro4.test.echoserver.EchoServer</c> and, to Pyro5 clients,
/// <c>Pyro5.utils.echoserver.EchoServer</c>: the same method names, oneway markers, attribute, results and exceptions,
/// so clients written for one work against the other. The two differ only in the text of <c>error()</c>.
/// </summary>
internal sealed class EchoServerObject(bool verbose, TextWriter output) : IEchoServer
{
    private volatile bool _verbose = verbose;

    /// <summary>Raised when a client calls <c>shutdown()</c>.</summary>
    public event Action? ShutdownRequested;

    /// <summary>The generated dispatcher serving this object through <see cref="IEchoServer"/>.</summary>
    public IPyroDispatcher CreateDispatcher() => PyroContracts.CreateDispatcher<IEchoServer>(this);

    public object? Echo(object? message)
    {
        Log($"echo: {Serialization.PythonRepr.Format(message)}");
        return message;
    }

    public void Error()
    {
        Log("error: generating exception");
        throw new ArgumentException(PyroCallContext.Current?.Client?.Protocol == 5
            ? "this is the generated error from echoserver echo() method"
            : "expected error from echoserver error() method");
    }

    public void ErrorWithText()
    {
        Log("error: generating exception");
        throw new ArgumentException("the message of the error");
    }

    public void OnewayEcho(object? message) => Log($"oneway_echo: {Serialization.PythonRepr.Format(message)}");

    public async Task<string> SlowAsync()
    {
        Log("slow: waiting a bit...");
        await Task.Delay(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        Log("slow: returning result");
        return "Finally, an answer!";
    }

    public IEnumerable<string> Generator()
    {
        yield return "one";
        yield return "two";
        yield return "three";
    }

    public double Nan() => double.NaN;

    public double Inf() => double.PositiveInfinity;

    public async Task OnewaySlowAsync()
    {
        Log("oneway_slow: waiting a bit...");
        await Task.Delay(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        Log("oneway_slow: returning result");
    }

    public string Dunder() => "should be allowed (dunder)";

    public void Shutdown()
    {
        Log("shutting down");
        ShutdownRequested?.Invoke();
    }

    public bool Verbose
    {
        get => _verbose;
        set => _verbose = value;
    }

    private void Log(string text)
    {
        if (_verbose) output.WriteLine($"{DateTime.Now:ddd MMM d HH:mm:ss yyyy} - {text}");
    }
}

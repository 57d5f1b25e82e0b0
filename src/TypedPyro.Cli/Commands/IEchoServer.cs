namespace TypedPyro.Cli.Commands;

/// <summary>
/// The contract of Python's <c>Pyro4.test.echoserver.EchoServer</c>, as a typed TypedPyro contract (the CLI's own
/// echo server is served through the dispatcher the source generator makes from it).
/// </summary>
[Expose]
[PyroNaming(PyroNamingPolicy.SnakeCase)]
public interface IEchoServer
{
    /// <summary>Returns the message.</summary>
    object? Echo(object? message);

    /// <summary>Raises ValueError("expected error from echoserver error() method").</summary>
    void Error();

    /// <summary>Raises ValueError("the message of the error").</summary>
    void ErrorWithText();

    /// <summary>Like echo, but oneway.</summary>
    [Oneway]
    void OnewayEcho(object? message);

    /// <summary>Returns a message after 5 seconds.</summary>
    Task<string> SlowAsync();

    /// <summary>Yields "one", "two", "three" as a remote iterator.</summary>
    IEnumerable<string> Generator();

    /// <summary>Returns NaN.</summary>
    double Nan();

    /// <summary>Returns infinity.</summary>
    double Inf();

    /// <summary>Waits 5 seconds; oneway, so the caller does not.</summary>
    [Oneway]
    Task OnewaySlowAsync();

    /// <summary>A public dunder method (Pyro allows dunders that are not in its private list).</summary>
    [PyroName("__dunder__")]
    string Dunder();

    /// <summary>Asks the server to stop.</summary>
    void Shutdown();

    /// <summary>Whether calls are printed.</summary>
    bool Verbose { get; set; }
}

namespace TypedPyro;

/// <summary>
/// Python's <c>StopIteration</c>: the end of a remote iterator. The daemon raises it when a stream is exhausted and
/// the proxy's remote iterator consumes it, so user code never sees it.
/// </summary>
internal sealed class StopIterationException : Exception
{
    public StopIterationException() : base("") { }

    public StopIterationException(string message, Exception? inner) : base(message, inner) { }
}

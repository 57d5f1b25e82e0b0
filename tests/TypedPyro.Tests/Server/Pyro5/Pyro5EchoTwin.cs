namespace TypedPyro.Tests.Server.Pyro5;

/// <summary>
/// A .NET twin of the object Pyro5's test echo server serves (<c>Pyro5.utils.echoserver.EchoServer</c>): the same
/// methods, oneway markers, attribute, results and error texts, so that a recorded Pyro5 conversation replayed at
/// our daemon gets the recorded replies.
/// </summary>
internal static class Pyro5EchoTwin
{
    public static IPyroDispatcher Create()
    {
        bool verbose = false;
        var methods = new PyroObjectBuilder("EchoServer")
            .Method("echo", call => call.Args[0])
            // Pyro5's oneway_echo returns this; a batch, which ignores oneway, shows it.
            .Method("oneway_echo", call => "bogus return value")
            .Method("error", call => throw new ArgumentException("this is the generated error from echoserver echo() method"))
            .Method("error_with_text", call => throw new ArgumentException("the message of the error"))
            .Method("slow", call => "Finally, an answer!")
            .Method("oneway_slow", call => "bogus return value")
            .Method("nan", call => double.NaN)
            .Method("inf", call => double.PositiveInfinity)
            .Method("generator", call => Generator())
            .Method("shutdown", call => null)
            .Method("__dunder__", call => "yep")
            .Attribute("verbose", () => verbose, v => verbose = v is true)
            .Build();
        return new WithOneway(methods);
    }

    private static IEnumerable<object?> Generator()
    {
        yield return "one";
        yield return "two";
        yield return "three";
    }

    /// <summary>The builder's object with oneway_echo and oneway_slow marked oneway in its metadata.</summary>
    private sealed class WithOneway(IPyroDispatcher inner) : IPyroDispatcher
    {
        public string TypeName => inner.TypeName;
        public PyroObjectMetadata Metadata { get; } = new(inner.Metadata.Methods, ["oneway_echo", "oneway_slow"], inner.Metadata.Attributes);
        public ValueTask<object?> InvokeAsync(PyroInvocation invocation) => inner.InvokeAsync(invocation);
        public ValueTask<object?> GetAttributeAsync(string name, PyroCallContext context) => inner.GetAttributeAsync(name, context);
        public ValueTask SetAttributeAsync(string name, object? value, PyroCallContext context) => inner.SetAttributeAsync(name, value, context);
    }
}

namespace TypedPyro.Tests.Support;

/// <summary>A small object with every member shape the untyped runtime supports.</summary>
internal sealed class TestObjects
{
    public readonly TaskCompletionSource<object?> OnewayReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public object? Value = 1L;

    public IPyroDispatcher Create() => new PyroObjectBuilder("Thing")
        .Method("echo", call => { call.ExpectAtMost(1, "message"); return call.Arg(0, "message"); })
        .Method("add", call =>
        {
            call.ExpectAtMost(2, "a", "b");
            return (long)call.Arg(0, "a")! + (long)call.Arg(1, "b", optional: true, defaultValue: 10L)!;
        })
        .Method("fail", call => throw new ArgumentException("bad value"))
        .Method("missing_key", call => throw new KeyNotFoundException("nope"))
        .Method("correlation", call => call.Context.CorrelationId.ToString())
        .MethodAsync("slow", async call => { await Task.Delay(TimeSpan.FromSeconds(3)); return "late"; })
        .Oneway("notify", call => OnewayReceived.TrySetResult(call.Arg(0, "value")))
        .Method("__dunder__", call => "dunder ok")
        .Attribute("value", () => Value, v => Value = v)
        .Attribute("readonly", () => "fixed")
        .Build();
}

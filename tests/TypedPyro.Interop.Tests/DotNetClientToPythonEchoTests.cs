using TypedPyro.Cli.Commands;
using TypedPyro.Interop.Tests.Support;
using TypedPyro.Serialization;

namespace TypedPyro.Interop.Tests;

/// <summary>The .NET proxy and <c>typedpyro call</c> against Python's own echo server.</summary>
public sealed class DotNetClientToPythonEchoTests(PythonEchoServerFixture python) : IClassFixture<PythonEchoServerFixture>
{
    public static TheoryData<SerializerId> Serializers => new() { SerializerId.Serpent, SerializerId.Json };

    private PyroProxy Proxy(SerializerId serializer) => new(python.Uri, new PyroProxyOptions { Serializer = serializer, Timeout = TimeSpan.FromSeconds(20) });

    [Fact]
    public async Task Pipelined_calls_to_python_each_get_their_own_reply()
    {
        // Python's daemon answers a connection's requests in order, so requests sent without waiting line up.
        await using var proxy = new PyroProxy(python.Uri, new PyroProxyOptions { Pipelining = true, Timeout = TimeSpan.FromSeconds(20) });
        var calls = Enumerable.Range(0, 200).Select(i => Task.Run(async () => (i, await (i % 10 == 3
            ? Assert.ThrowsAsync<ArgumentException>(() => proxy.InvokeAsync("error")).ContinueWith(t => (object?)t.Result.Message)
            : proxy.InvokeAsync("echo", [i]))))).ToList();
        foreach (var (i, result) in await Task.WhenAll(calls))
            Assert.Equal(i % 10 == 3 ? "expected error from echoserver error() method" : (object)(long)i, result);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task Values_metadata_and_errors(SerializerId serializer)
    {
        await using var proxy = Proxy(serializer);
        Assert.Equal("hello", await proxy.InvokeAsync("echo", ["hello"]));
        var nested = new Dictionary<object, object?> { ["a"] = new List<object?> { 1L, 2.5, null, true }, ["ü"] = "€" };
        Assert.Equal(nested, await proxy.InvokeAsync("echo", [nested]), PyValueComparer.Instance);
        Assert.Equal(System.Numerics.BigInteger.Pow(2, 80), await proxy.InvokeAsync("echo", [System.Numerics.BigInteger.Pow(2, 80)]));
        Assert.True(double.IsNaN((double)(await proxy.InvokeAsync("nan"))!));
        Assert.Equal(double.PositiveInfinity, await proxy.InvokeAsync("inf"));
        Assert.Equal("should be allowed (dunder)", await proxy.InvokeAsync("__dunder__"));

        Assert.Contains("generator", proxy.Metadata!.Methods);
        Assert.Equal(["oneway_echo", "oneway_slow"], proxy.Metadata.Oneway.Order());
        Assert.Equal(["verbose"], proxy.Metadata.Attributes);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => proxy.InvokeAsync("error"));
        Assert.Equal("expected error from echoserver error() method", error.Message);
        var remote = error.GetRemoteException()!;
        Assert.Equal("builtins.ValueError", remote.RemoteTypeName);
        Assert.Contains("raise ValueError(\"expected error from echoserver error() method\")", remote.RemoteTraceback);

        var typeError = await Assert.ThrowsAsync<ArgumentTypeException>(() => proxy.InvokeAsync("echo", [1L, 2L]));
        Assert.Equal("builtins.TypeError", typeError.GetRemoteException()!.RemoteTypeName);
    }

    [Fact]
    public async Task A_blocking_call_to_python_times_out_on_the_socket_s_own_timeout()
    {
        await using var proxy = new PyroProxy(python.Uri, new PyroProxyOptions { Timeout = TimeSpan.FromSeconds(20) });
        Assert.Equal("connected", await Task.Run(() => proxy.Invoke("echo", "connected")).WaitAsync(TimeSpan.FromSeconds(60)));
        proxy.Timeout = TimeSpan.FromMilliseconds(300);
        var e = await Task.Run(() => Assert.Throws<PyroTimeoutException>(() => proxy.Invoke("slow"))).WaitAsync(TimeSpan.FromSeconds(60));
        // The socket's receive timeout expired on blocking I/O (an async call cancels a token instead).
        Assert.IsType<IOException>(e.InnerException);
        // Python's echo server is single-threaded (multiplex): it finishes slow() before it answers again.
        proxy.Timeout = TimeSpan.FromSeconds(20);
        Assert.Equal("recovered", await Task.Run(() => proxy.Invoke("echo", "recovered")).WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Oneway_returns_at_once_and_attributes_work()
    {
        await using var proxy = Proxy(SerializerId.Serpent);
        var started = DateTime.UtcNow;
        Assert.Null(await proxy.InvokeAsync("oneway_slow"));
        Assert.Equal("quick", await proxy.InvokeAsync("echo", ["quick"]));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3), "oneway_slow must not block the connection");

        Assert.Equal(false, await proxy.GetAttributeAsync("verbose"));
        await proxy.SetAttributeAsync("verbose", true);
        Assert.Equal(true, await proxy.GetAttributeAsync("verbose"));
        await proxy.SetAttributeAsync("verbose", false);
    }

    [Fact]
    public async Task Private_members_are_refused_by_python()
    {
        // No metadata check on our side: the Python daemon must refuse on its own.
        await using var proxy = new PyroProxy(python.Uri, new PyroProxyOptions { Config = PyroConfig.Default.With(c => { c.Metadata = false; }) });
        var e = await Assert.ThrowsAsync<MissingMemberException>(() => proxy.InvokeAsync("_private"));
        Assert.Equal("attempt to access private attribute '_private'", e.Message);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task Remote_generator_streams_items(SerializerId serializer)
    {
        await using var proxy = Proxy(serializer);
        var iterator = Assert.IsType<PyroRemoteIterator>(await proxy.InvokeAsync("generator"));
        Assert.Equal(["one", "two", "three"], iterator.ToBlockingEnumerable().Cast<string>());
        // Stopping early closes the stream on the Python side; the connection goes on.
        await foreach (var item in Assert.IsType<PyroRemoteIterator>(await proxy.InvokeAsync("generator")))
        {
            Assert.Equal("one", item);
            break;
        }
        Assert.Equal("next", await proxy.InvokeAsync("echo", ["next"]));
        var (code, stdout, _) = await Call(python.Uri, "generator", []);
        Assert.Equal(0, code);
        Assert.Equal("['one', 'two', 'three']", stdout.Trim());
    }

    [Fact]
    public async Task Protocol_ping_and_release()
    {
        await using var proxy = Proxy(SerializerId.Serpent);
        await proxy.PingAsync();
        proxy.Release();
        Assert.Equal(7L, await proxy.InvokeAsync("echo", [7L]));
    }

    [Theory]
    [InlineData("serpent")]
    [InlineData("json")]
    public async Task Typedpyro_call_prints_python_literals(string serializer)
    {
        var (code, stdout, stderr) = await Call(python.Uri, "echo", ["{'a': (1, 2.5), 'b': [None, True]}"], serializer);
        Assert.Equal(0, code);
        Assert.Equal(serializer == "json" ? "{'a': [1, 2.5], 'b': [None, True]}" : "{'a': (1, 2.5), 'b': [None, True]}", stdout.Trim());
        Assert.Equal("", stderr);
    }

    [Fact]
    public async Task Typedpyro_call_reports_remote_exceptions_with_traceback()
    {
        var (code, stdout, stderr) = await Call(python.Uri, "error", []);
        Assert.Equal(CallCommand.RemoteError, code);
        Assert.Equal("", stdout);
        Assert.Contains("builtins.ValueError: expected error from echoserver error() method", stderr);
        Assert.Contains("Traceback (most recent call last)", stderr);
    }

    [Fact]
    public async Task Typedpyro_call_bad_input_is_one_line()
    {
        var (code, _, stderr) = await Call(python.Uri, "echo", ["{'unclosed"]);
        Assert.Equal(CallCommand.UsageError, code);
        Assert.StartsWith("error: not a Python literal", stderr);
        Assert.Single(stderr.Trim().Split('\n'));

        (code, _, stderr) = await Call("PYRO:x@127.0.0.1:1", "echo", ["1"]);
        Assert.Equal(CallCommand.CommunicationError, code);
        Assert.Single(stderr.Trim().Split('\n'));

        (code, _, stderr) = await Call(python.Uri, "slow", [], timeout: 0.3);
        Assert.Equal(CallCommand.CommunicationError, code);
        Assert.Contains("timeout", stderr);
    }

    [Fact]
    public async Task Typedpyro_call_keyword_and_oneway()
    {
        var (code, stdout, _) = await Call(python.Uri, "echo", ["message='kw'"]);
        Assert.Equal(0, code);
        Assert.Equal("'kw'", stdout.Trim());
        (code, stdout, _) = await Call(python.Uri, "echo", ["1"], oneway: true);
        Assert.Equal(0, code);
        Assert.Equal("", stdout);
    }

    internal static async Task<(int Code, string Stdout, string Stderr)> Call(string uri, string method, string[] args, string serializer = "serpent", bool oneway = false, double timeout = 20)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CallCommand.RunAsync(uri, method, args, serializer, oneway, timeout, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }
}

using TypedPyro.Cli.Commands;
using TypedPyro.Interop.Tests.Support;
using TypedPyro.Serialization;

namespace TypedPyro.Interop.Tests;

/// <summary>A generated, typed .NET proxy calling Python's own echo server, with serpent and json.</summary>
public sealed class TypedProxyToPythonEchoTests(PythonEchoServerFixture python) : IClassFixture<PythonEchoServerFixture>
{
    /// <summary>Each serializer, with a timeout (the socket's send and receive timeouts) and without one; blocking I/O throughout.</summary>
    public static TheoryData<SerializerId, bool> Serializers => new()
    {
        { SerializerId.Serpent, true }, { SerializerId.Json, true }, { SerializerId.Serpent, false }, { SerializerId.Json, false },
    };

    [Theory]
    [MemberData(nameof(Serializers))]
    public async Task Typed_calls_reach_python(SerializerId serializer, bool withTimeout)
    {
        var options = new PyroProxyOptions { Serializer = serializer, Timeout = withTimeout ? TimeSpan.FromSeconds(20) : TimeSpan.Zero };
        var echo = Pyro.Proxy<IEchoServer>(python.Uri, options);
        try
        {
            // The blocking calls (connect and handshake included) block on the socket itself: run them off the test's
            // thread, so that a hang fails the test instead of stalling the run.
            await Task.Run(() => BlockingCalls(echo)).WaitAsync(TimeSpan.FromSeconds(60));

            var started = DateTime.UtcNow;
            echo.OnewayEcho("fire and forget");
            await echo.OnewaySlowAsync();
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3), "oneway calls must not wait");
        }
        finally
        {
            Pyro.Release(echo);
        }
    }

    private static void BlockingCalls(IEchoServer echo)
    {
        Assert.Equal("typed", echo.Echo("typed"));
        Assert.Equal(42L, echo.Echo(42L));
        Assert.True(double.IsNaN(echo.Nan()));
        Assert.Equal(double.PositiveInfinity, echo.Inf());
        Assert.Equal("should be allowed (dunder)", echo.Dunder());
        Assert.Equal(["one", "two", "three"], echo.Generator().ToList());

        var error = Assert.Throws<ArgumentException>(() => echo.Error());
        Assert.Equal("expected error from echoserver error() method", error.Message);
        Assert.Equal("builtins.ValueError", error.GetRemoteException()!.RemoteTypeName);

        Assert.False(echo.Verbose);
        echo.Verbose = true;
        Assert.True(echo.Verbose);
        echo.Verbose = false;
    }

    [Fact]
    public async Task Typed_async_call_honours_the_timeout()
    {
        var echo = Pyro.Proxy<IEchoServer>(python.Uri, new PyroProxyOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        await using var _ = (IAsyncDisposable)echo;
        await Assert.ThrowsAsync<PyroTimeoutException>(() => echo.SlowAsync());
        // Python's echo server is single-threaded (multiplex): it finishes slow() before it answers again.
        Pyro.Connection(echo).Timeout = TimeSpan.FromSeconds(20);
        Assert.Equal("recovered", echo.Echo("recovered"));
    }
}

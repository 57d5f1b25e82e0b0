using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Client;

/// <summary>
/// A proxy first used by a blocking call connects with blocking socket calls, so that its socket stays in blocking
/// mode (.NET switches a socket to non-blocking mode for good at its first async operation, and blocking calls on it
/// then wait for the runtime's event loop). The mode is read from the file descriptor itself.
/// </summary>
public sealed class BlockingConnectTests : IAsyncLifetime
{
    private readonly TestObjects _objects = new();
    private PyroDaemon _daemon = null!;
    private PyroUri _uri = null!;

    public Task InitializeAsync()
    {
        _daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        _uri = _daemon.Register(_objects.Create(), "test.thing");
        _daemon.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    [Fact]
    public async Task A_blocking_first_call_leaves_the_socket_in_blocking_mode_until_an_async_call()
    {
        await using var proxy = new PyroProxy(_uri);
        Assert.Equal("one", proxy.Invoke("echo", "one"));
        Assert.NotNull(proxy.Metadata); // the handshake's metadata arrived over the blocking connection
        Assert.False(IsNonBlocking(proxy.ConnectedSocket!));
        Assert.Equal("two", proxy.Invoke("echo", "two"));
        Assert.False(IsNonBlocking(proxy.ConnectedSocket!));

        // The runtime's rule, which the probe must see: one async call and the socket is non-blocking for good.
        Assert.Equal("three", await proxy.InvokeAsync("echo", ["three"]));
        Assert.True(IsNonBlocking(proxy.ConnectedSocket!));
        Assert.Equal("four", proxy.Invoke("echo", "four"));
    }

    [Fact]
    public async Task Oneway_calls_flushed_in_the_background_keep_a_blocking_socket_blocking()
    {
        using var proxy = new PyroProxy(_uri);
        Assert.Equal("one", proxy.Invoke("echo", "one"));
        Assert.Null(proxy.Invoke("notify", "queued")); // a oneway call: queued, then written by a background flush
        Assert.Equal("queued", await _objects.OnewayReceived.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(IsNonBlocking(proxy.ConnectedSocket!));
        Assert.Equal("two", proxy.Invoke("echo", "two"));
    }

    [Fact]
    public async Task Typed_calls_through_the_object_model_keep_a_blocking_socket_blocking()
    {
        var counter = new BlockingCounter();
        var uri = _daemon.Register<IBlockingCounter>(counter, "test.counter");
        var proxy = Pyro.Proxy<IBlockingCounter>(uri);
        await using var owner = (IAsyncDisposable)proxy;
        var connection = ((IPyroProxy)proxy).Connection;

        Assert.Equal(6, proxy.Add(2, times: 3)); // a keyword argument: the object-model call
        proxy.Total = 10;                          // attribute write
        Assert.Equal(10, proxy.Total);             // attribute read
        proxy.Reset(reason: "test");               // oneway with a keyword argument
        Assert.Equal("test", await counter.ResetReason.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(IsNonBlocking(connection.ConnectedSocket!));
    }

    [Fact]
    public async Task Blocking_callers_sharing_a_pipelined_connection_keep_it_blocking()
    {
        await using var proxy = new PyroProxy(_uri, new PyroProxyOptions { Pipelining = true });
        var callers = Enumerable.Range(0, 4).Select(i => Task.Factory.StartNew(() =>
        {
            for (int call = 0; call < 50; call++) Assert.Equal($"{i}:{call}", proxy.Invoke("echo", $"{i}:{call}"));
        }, TaskCreationOptions.LongRunning));
        await Task.WhenAll(callers);
        Assert.False(IsNonBlocking(proxy.ConnectedSocket!));
    }

    [Fact]
    public async Task An_async_first_call_connects_asynchronously()
    {
        await using var proxy = new PyroProxy(_uri);
        Assert.Equal("one", await proxy.InvokeAsync("echo", ["one"]));
        Assert.True(IsNonBlocking(proxy.ConnectedSocket!));
        Assert.Equal("two", proxy.Invoke("echo", "two"));
    }

    [Fact]
    public void A_blocking_call_reconnects_with_blocking_calls_after_the_connection_is_lost()
    {
        using var proxy = new PyroProxy(_uri);
        Assert.Equal("one", proxy.Invoke("echo", "one"));
        var first = proxy.ConnectedSocket!;
        proxy.Release();
        Assert.Equal("two", proxy.Invoke("echo", "two"));
        Assert.NotSame(first, proxy.ConnectedSocket);
        Assert.False(IsNonBlocking(proxy.ConnectedSocket!));
    }

    [Fact]
    public void A_blocking_connect_to_a_closed_port_fails_with_a_communication_error()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        using var proxy = new PyroProxy(PyroUri.Parse($"PYRO:thing@127.0.0.1:{port}"));
        var error = Assert.Throws<CommunicationException>(() => proxy.Invoke("echo", "x"));
        Assert.Contains("cannot connect", error.Message);
        Assert.False(proxy.IsConnected);
    }

    [Fact]
    public async Task A_blocking_first_call_connects_over_a_unix_domain_socket()
    {
        string path = Path.Combine(Path.GetTempPath(), $"typedpyro-blocking-{Guid.NewGuid():N}.sock");
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { UnixSocket = path });
        var uri = daemon.Register(_objects.Create(), "test.unix");
        daemon.Start();
        using var proxy = new PyroProxy(uri);
        Assert.Equal("unix", proxy.Invoke("echo", "unix"));
        Assert.False(IsNonBlocking(proxy.ConnectedSocket!));
    }

    private const int GetStatusFlags = 3; // F_GETFL
    private const int NonBlockingFlag = 0x800; // O_NONBLOCK on Linux

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(nint fd, int command);

    /// <summary>Whether the socket's file descriptor is in non-blocking mode (O_NONBLOCK).</summary>
    internal static bool IsNonBlocking(Socket socket)
    {
        int flags = fcntl(socket.SafeHandle.DangerousGetHandle(), GetStatusFlags);
        Assert.True(flags >= 0, $"fcntl failed: {Marshal.GetLastWin32Error()}");
        return (flags & NonBlockingFlag) != 0;
    }
}

[Expose]
public interface IBlockingCounter
{
    int Add(int amount, int times = 1);

    int Total { get; set; }

    [Oneway]
    void Reset(string? reason = null);
}

public sealed class BlockingCounter : IBlockingCounter
{
    public readonly TaskCompletionSource<string?> ResetReason = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Add(int amount, int times = 1) => Total += amount * times;

    public int Total { get; set; }

    public void Reset(string? reason = null)
    {
        Total = 0;
        ResetReason.TrySetResult(reason);
    }
}

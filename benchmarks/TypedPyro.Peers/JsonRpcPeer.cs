using System.Net;
using System.Net.Sockets;
using StreamJsonRpc;

namespace TypedPyro.Peers;

/// <summary>
/// StreamJsonRpc in its fastest documented configuration: a TCP socket with TCP_NODELAY on both sides, the
/// MessagePackFormatter and the LengthHeaderMessageHandler (binary frames, no JSON text, no HTTP-style headers).
/// W3 is NotifyAsync as fast as possible, then one InvokeAsync to flush (its pipe writer hands several notifications
/// to the socket in one write: counted once at ~46 per write here); W4 sends a byte[] (msgpack bin).
/// </summary>
internal sealed class JsonRpcPeer : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<JsonRpc> _connections = [];

    public JsonRpcPeer()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        _ = AcceptLoop();
    }

    public async Task RunAsync(Bench bench)
    {
        var rpc = await ConnectAsync();
        var w1 = await Measure.Sequential(() => rpc.InvokeAsync<string>(nameof(Target.Echo), Bench.Message), bench.Duration, bench.WarmUp);
        bench.Add(new(Workloads.W1, "StreamJsonRpc (MessagePack, TCP)", w1.PerSecond, w1.P50, w1.P99));

        var clients = new List<Func<Task>>();
        for (int i = 0; i < Bench.Clients; i++)
        {
            var c = await ConnectAsync();
            clients.Add(() => c.InvokeAsync<string>(nameof(Target.Echo), Bench.Message));
        }
        bench.Add(new(Workloads.W2, "StreamJsonRpc (MessagePack, a connection each)", await Measure.Concurrent(clients, bench.Duration, bench.WarmUp)));

        // Flush: the server reads messages in order, so it has read every notification before it answers this call.
        Func<Task> send = () => rpc.NotifyAsync(nameof(Target.Oneway), Bench.Message), flush = () => rpc.InvokeAsync<string>(nameof(Target.Echo), Bench.Message);
        await Measure.Oneway(send, flush, bench.WarmUp);
        bench.Add(new(Workloads.W3, "StreamJsonRpc (MessagePack, NotifyAsync)", (await Measure.Oneway(send, flush, bench.Duration)).PerSecond,
            Note: "its pipe coalesces notifications into shared socket writes"));

        var blob = new byte[Bench.BulkSize];
        Random.Shared.NextBytes(blob);
        if (await rpc.InvokeAsync<long>(nameof(Target.Length), blob) != blob.Length) throw new InvalidOperationException("StreamJsonRpc W4: wrong length");
        var w4 = await Measure.Sequential(() => rpc.InvokeAsync<long>(nameof(Target.Length), blob), bench.Duration, bench.Smoke ? TimeSpan.Zero : bench.WarmUp);
        bench.AddBulk("StreamJsonRpc (MessagePack, byte[])", w4.PerSecond);
    }

    private static JsonRpc Attach(Socket socket, object? target)
    {
        socket.NoDelay = true;
        var stream = new NetworkStream(socket, ownsSocket: true);
        var rpc = new JsonRpc(new LengthHeaderMessageHandler(stream, stream, new MessagePackFormatter()));
        if (target is not null) rpc.AddLocalRpcTarget(target);
        rpc.StartListening();
        return rpc;
    }

    private async Task<JsonRpc> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_listener.LocalEndPoint!);
        var rpc = Attach(socket, null);
        lock (_connections) _connections.Add(rpc);
        await rpc.InvokeAsync<string>(nameof(Target.Echo), Bench.Message);
        return rpc;
    }

    private async Task AcceptLoop()
    {
        try
        {
            while (true)
            {
                var rpc = Attach(await _listener.AcceptAsync(), new Target());
                lock (_connections) _connections.Add(rpc);
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException) { }
    }

    public ValueTask DisposeAsync()
    {
        _listener.Dispose();
        lock (_connections)
        {
            foreach (var rpc in _connections) rpc.Dispose();
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>The server's methods, the same as the Pyro echo object's.</summary>
    private sealed class Target
    {
        public string Echo(string message) => message;

        public void Oneway(string message) { }

        public long Length(byte[] data) => data.Length;
    }
}

using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TypedPyro.Peers;

/// <summary>
/// The limit every other figure is divided by: raw async TCP sockets (the Memory/ValueTask overloads, which complete
/// without allocating), TCP_NODELAY on both sides, no serialization.
/// W1/W2 ping-pong a 10-byte message; W3 streams length-prefixed 10-byte frames, then a flush frame the server answers
/// with its count, once through a pipe whose reader sends whatever has piled up (as StreamJsonRpc does; the baseline)
/// and once with a send per frame; W4 sends 10 MiB and reads an 8-byte reply; batch ping-pongs 100 messages at once.
/// </summary>
internal sealed class RawSockets : IAsyncDisposable
{
    /// <summary>W3's floor for ONEWAY_THREADED (the threaded target is judged against it).</summary>
    public const string OnewayThreadedFloor = "raw TCP framed stream, coalesced, a thread-pool work item per frame (C#)";

    /// <summary>W4's floor for a <c>byte[]</c> parameter.</summary>
    public const string BulkFreshArrayFloor = "raw TCP send into a fresh array + 8-byte reply (C#)";

    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];

    public RawSockets()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        _ = AcceptLoop();
    }

    public async Task RunAsync(Bench bench)
    {
        const string blocking = "raw TCP ping-pong, blocking client (C#)", pingPong = "raw TCP ping-pong (C#)";
        if (bench.Wants(Workloads.W1, pingPong))
        {
            var w1 = await Measure.Sequential(await Client(1), bench.Duration, bench.WarmUp);
            bench.Add(new(Workloads.W1, pingPong, w1.PerSecond, w1.P50, w1.P99));
        }
        // A client that only ever blocks: its socket stays in blocking mode, so a reply wakes the waiting thread
        // directly instead of through the runtime's event loop. The baseline for blocking (synchronous) callers.
        if (bench.Wants(Workloads.W1, blocking))
        {
            var w1 = await Measure.Sequential(BlockingClient(), bench.Duration, bench.WarmUp);
            bench.Add(new(Workloads.W1, blocking, w1.PerSecond, w1.P50, w1.P99, Note: "Send/Receive, never async"));
        }

        if (bench.Wants(Workloads.W2, pingPong))
        {
            var clients = new List<Func<Task>>();
            for (int i = 0; i < Bench.Clients; i++) clients.Add(await Client(1));
            bench.Add(new(Workloads.W2, pingPong, await Measure.Concurrent(clients, bench.Duration, bench.WarmUp)));
        }

        // The first is W3's baseline: the socket's limit for a stream of small messages is reached by coalescing them.
        // The third is the floor of ONEWAY_THREADED's contract (each call runs on its own, so a call that blocks does
        // not hold up the next): the coalesced stream with one thread-pool work item per frame and nothing else.
        foreach (var (coalesce, workItems) in new[] { (true, false), (false, false), (true, true) })
        {
            var (peer, note) = (coalesce, workItems) switch
            {
                (true, false) => ("raw TCP framed stream, writes coalesced (C#)", "frames queue in a pipe; each socket send takes all queued"),
                (false, _) => ("raw TCP framed stream, a send per frame (C#)", "one socket send per frame"),
                _ => (OnewayThreadedFloor, "coalesced; the server queues a work item per frame; timed until all have run"),
            };
            if (!bench.Wants(Workloads.W3, peer)) continue;
            var (send, flush) = await OnewayClient(coalesce, workItems);
            await Measure.Oneway(send, flush, bench.WarmUp);
            var w3 = await Measure.Oneway(send, flush, bench.Duration);
            bench.Add(new(Workloads.W3, peer, w3.PerSecond, Note: note));
        }

        // The second is the floor under a byte[] parameter: the server receives each call into a fresh array, as a
        // method that owns its argument needs, and does nothing else.
        foreach (bool fresh in new[] { false, true })
        {
            var (bulk, note) = fresh
                ? (BulkFreshArrayFloor, "the server receives into a fresh array per call")
                : ("raw TCP send + 8-byte reply (C#)", (string?)null);
            if (!bench.Wants(Workloads.W4, bulk)) continue;
            var w4 = await Measure.Sequential(await BulkClient(Bench.BulkSize, fresh), bench.Duration, bench.Smoke ? TimeSpan.Zero : bench.WarmUp);
            bench.AddBulk(bulk, w4.PerSecond, note);
        }

        string atOnce = $"raw TCP ping-pong, {Bench.BatchSize} messages at once (C#)";
        if (bench.Wants(Workloads.Batch, atOnce))
        {
            var batch = await Measure.Sequential(await Client(Bench.BatchSize), bench.Duration, bench.WarmUp);
            bench.Add(new(Workloads.Batch, atOnce, batch.PerSecond * Bench.BatchSize));
        }
    }

    private async Task AcceptLoop()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptAsync(_stop.Token);
                socket.NoDelay = true;
                _ = Echo(socket);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { }
    }

    private static async Task Echo(Socket socket)
    {
        var buffer = new byte[4096];
        using (socket)
        {
            try
            {
                while (true)
                {
                    int n = await socket.ReceiveAsync(buffer.AsMemory());
                    if (n == 0) return;
                    await socket.SendAsync(buffer.AsMemory(0, n));
                }
            }
            catch (SocketException) { }
        }
    }

    /// <summary>A connected client whose call sends <paramref name="messages"/> 10-byte messages in one write and reads them back.</summary>
    private async Task<Func<Task>> Client(int messages)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(_listener.LocalEndPoint!);
        _sockets.Add(socket);
        var message = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(Bench.Message, messages)));
        var reply = new byte[message.Length];
        return async () =>
        {
            await socket.SendAsync(message.AsMemory());
            int read = 0;
            while (read < reply.Length) read += await socket.ReceiveAsync(reply.AsMemory(read));
        };
    }

    /// <summary>A client connected and used with blocking calls only; its call sends a 10-byte message and reads it back.</summary>
    private Func<Task> BlockingClient()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(_listener.LocalEndPoint!);
        _sockets.Add(socket);
        var message = Encoding.ASCII.GetBytes(Bench.Message);
        var reply = new byte[message.Length];
        return () =>
        {
            socket.Send(message);
            int read = 0;
            while (read < reply.Length) read += socket.Receive(reply, read, reply.Length - read, SocketFlags.None);
            return Task.CompletedTask;
        };
    }

    /// <summary>A connected pair: the client socket, and the server socket handed to <paramref name="serve"/>.</summary>
    private async Task<Socket> Pair(Func<Socket, Task> serve)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var accept = listener.AcceptAsync();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(listener.LocalEndPoint!);
        var server = await accept;
        server.NoDelay = true;
        _sockets.Add(client);
        _sockets.Add(server);
        _ = Task.Run(async () =>
        {
            try { await serve(server); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        });
        return client;
    }

    /// <summary>
    /// W4: each call sends <paramref name="size"/> bytes to a server that answers with 8 bytes once it has them all,
    /// into one reused 1 MiB buffer, or with <paramref name="freshArray"/> into a new array of the whole size per call.
    /// </summary>
    private async Task<Func<Task>> BulkClient(int size, bool freshArray)
    {
        var client = await Pair(async server =>
        {
            var buffer = new byte[1 << 20];
            var reply = new byte[8];
            while (true)
            {
                if (freshArray) buffer = GC.AllocateUninitializedArray<byte>(size);
                int remaining = size;
                while (remaining > 0)
                {
                    int n = await server.ReceiveAsync(buffer.AsMemory(freshArray ? size - remaining : 0, Math.Min(buffer.Length, remaining)));
                    if (n == 0) return;
                    remaining -= n;
                }
                await server.SendAsync(reply.AsMemory());
            }
        });
        var payload = new byte[size];
        var answer = new byte[8];
        return async () =>
        {
            await client.SendAsync(payload.AsMemory());
            int read = 0;
            while (read < answer.Length) read += await client.ReceiveAsync(answer.AsMemory(read));
        };
    }

    /// <summary>
    /// W3: send writes one frame (4-byte length, then the 10-byte message) with one send call, or with
    /// <paramref name="coalesce"/> into a pipe that a loop drains into the socket, a send call for all it finds; flush
    /// writes an empty frame, which the server answers with the number of frames it has read so far, and checks it.
    /// </summary>
    private async Task<(Func<Task> Send, Func<Task> Flush)> OnewayClient(bool coalesce, bool workItemPerFrame)
    {
        var ran = new FrameCounter();
        var client = await Pair(async server =>
        {
            var buffer = new byte[1 << 16];
            var reply = new byte[8];
            int filled = 0;
            long frames = 0;
            while (true)
            {
                int n = await server.ReceiveAsync(buffer.AsMemory(filled));
                if (n == 0) return;
                filled += n;
                int at = 0;
                while (filled - at >= 4)
                {
                    int length = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(at));
                    if (filled - at < 4 + length) break;
                    at += 4 + length;
                    if (length > 0)
                    {
                        frames++;
                        if (workItemPerFrame) ThreadPool.UnsafeQueueUserWorkItem(ran, preferLocal: false);
                        continue;
                    }
                    BinaryPrimitives.WriteInt64LittleEndian(reply, frames);
                    await server.SendAsync(reply.AsMemory());
                }
                buffer.AsSpan(at, filled - at).CopyTo(buffer);
                filled -= at;
            }
        });
        var frame = new byte[4 + Bench.Message.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, Bench.Message.Length);
        Encoding.ASCII.GetBytes(Bench.Message, frame.AsSpan(4));
        var empty = new byte[4];
        var answer = new byte[8];
        long sent = 0;
        Func<byte[], ValueTask> write = async bytes => await client.SendAsync(bytes.AsMemory());
        if (coalesce)
        {
            var pipe = new Pipe();
            _ = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        var read = await pipe.Reader.ReadAsync();
                        foreach (var segment in read.Buffer) await client.SendAsync(segment);
                        pipe.Reader.AdvanceTo(read.Buffer.End);
                    }
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
            });
            write = async bytes =>
            {
                pipe.Writer.Write(bytes);
                await pipe.Writer.FlushAsync();
            };
        }
        return (async () =>
        {
            await write(frame);
            sent++;
        }, async () =>
        {
            await write(empty);
            int read = 0;
            while (read < answer.Length) read += await client.ReceiveAsync(answer.AsMemory(read));
            if (BinaryPrimitives.ReadInt64LittleEndian(answer) != sent) throw new InvalidOperationException("raw W3: frames lost");
            if (workItemPerFrame) await TypedPyroPeer.UntilRun(() => ran.Count, () => sent);
        });
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        foreach (var socket in _sockets) socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The work item of the threaded floor: one shared instance queued once per frame, counting the runs.</summary>
internal sealed class FrameCounter : IThreadPoolWorkItem
{
    private long _ran;

    public long Count => Interlocked.Read(ref _ran);

    public void Execute() => Interlocked.Increment(ref _ran);
}

using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TypedPyro.Peers.Proto;

namespace TypedPyro.Peers;

/// <summary>
/// gRPC for .NET over h2c: Kestrel in this process on 127.0.0.1, HTTP/2 only without TLS, logging off, message
/// size limits raised to 64 MiB on both sides and the HTTP/2 flow-control windows raised past W4's 10 MiB (the
/// "performance best practices" page's advice for large messages); clients are GrpcChannels over a SocketsHttpHandler
/// with EnableMultipleHttp2Connections, one channel per W2 client. W3 is a client-streaming call, W4 sends the
/// payload with UnsafeByteOperations.UnsafeWrap (no copy). Messages are generated from bench.proto by Grpc.Tools.
/// </summary>
internal sealed class GrpcPeer : IAsyncDisposable
{
    private const int MaxMessage = 64 * 1024 * 1024;
    private const int Window = 16 * 1024 * 1024;
    private readonly WebApplication _app;
    private readonly string _address;
    private readonly List<GrpcChannel> _channels = [];

    private GrpcPeer(WebApplication app, string address) => (_app, _address) = (app, address);

    public static async Task<GrpcPeer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Limits.Http2.InitialConnectionWindowSize = Window;
            kestrel.Limits.Http2.InitialStreamWindowSize = Window;
        });
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = MaxMessage;
            o.MaxSendMessageSize = MaxMessage;
        });
        var app = builder.Build();
        app.MapGrpcService<Service>();
        await app.StartAsync();
        return new GrpcPeer(app, app.Urls.Single());
    }

    public async Task RunAsync(Bench bench)
    {
        var client = Client();
        var text = new Text { Value = Bench.Message };
        await client.EchoAsync(text); // connect, and JIT the paths before the warm-up
        var w1 = await Measure.Sequential(async () => await client.EchoAsync(text), bench.Duration, bench.WarmUp);
        bench.Add(new(Workloads.W1, "gRPC .NET h2c (unary)", w1.PerSecond, w1.P50, w1.P99));

        var clients = Enumerable.Range(0, Bench.Clients).Select(_ => Client()).ToList();
        foreach (var c in clients) await c.EchoAsync(text);
        var w2 = await Measure.Concurrent(clients.Select(c => (Func<Task>)(async () => await c.EchoAsync(text))).ToList(), bench.Duration, bench.WarmUp);
        bench.Add(new(Workloads.W2, "gRPC .NET h2c (unary, a channel each)", w2));

        async Task<double> Stream(TimeSpan duration)
        {
            using var call = client.Oneway();
            var (perSecond, sent) = await Measure.Oneway(() => call.RequestStream.WriteAsync(text), async () =>
            {
                await call.RequestStream.CompleteAsync();
                await call.ResponseAsync;
            }, duration);
            if ((await call.ResponseAsync).Value != sent) throw new InvalidOperationException("gRPC W3: messages lost");
            return perSecond;
        }
        await Stream(bench.WarmUp);
        bench.Add(new(Workloads.W3, "gRPC .NET h2c (client streaming)", await Stream(bench.Duration)));

        var blob = new byte[Bench.BulkSize];
        Random.Shared.NextBytes(blob);
        var bulk = new Blob { Data = UnsafeByteOperations.UnsafeWrap(blob) };
        if ((await client.LengthAsync(bulk)).Value != blob.Length) throw new InvalidOperationException("gRPC W4: wrong length");
        var w4 = await Measure.Sequential(async () => await client.LengthAsync(bulk), bench.Duration, bench.Smoke ? TimeSpan.Zero : bench.WarmUp);
        bench.AddBulk("gRPC .NET h2c (unary bytes)", w4.PerSecond);
    }

    private BenchService.BenchServiceClient Client()
    {
        var channel = GrpcChannel.ForAddress(_address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                InitialHttp2StreamWindowSize = Window,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            },
            MaxReceiveMessageSize = MaxMessage,
            MaxSendMessageSize = MaxMessage,
        });
        _channels.Add(channel);
        return new BenchService.BenchServiceClient(channel);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels) channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class Service : BenchService.BenchServiceBase
    {
        public override Task<Text> Echo(Text request, ServerCallContext context) => Task.FromResult(request);

        public override async Task<Count> Oneway(IAsyncStreamReader<Text> requestStream, ServerCallContext context)
        {
            long count = 0;
            while (await requestStream.MoveNext(context.CancellationToken)) count++;
            return new Count { Value = count };
        }

        public override Task<Count> Length(Blob request, ServerCallContext context) =>
            Task.FromResult(new Count { Value = request.Data.Length });
    }
}

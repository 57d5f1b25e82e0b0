using System.Diagnostics;
using System.Text;

namespace TypedPyro.Tests.Calls;

/// <summary>Call context, annotations, correlation ids across hops, telemetry, and resource tracking.</summary>
public sealed class CallContextTests
{
    private sealed class Resource : IDisposable
    {
        public bool Disposed;
        public void Dispose() => Disposed = true;
    }

    [Fact]
    public async Task Server_code_sees_the_call_and_sends_response_annotations()
    {
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register(new PyroObjectBuilder("Ctx").Method("who", call =>
        {
            var ctx = PyroCallContext.Current!;
            Assert.Same(call.Context, ctx);
            ctx.ResponseAnnotations["RESP"] = Encoding.ASCII.GetBytes("back");
            return new List<object?>
            {
                ctx.Sequence, ctx.Serializer.ToString(), ctx.ClientAddress is not null,
                Encoding.ASCII.GetString(ctx.UserAnnotations["XTRA"].Span),
            };
        }).Build(), "ctx");
        daemon.Start();
        await using var proxy = new PyroProxy(uri);
        proxy.Annotations["XTRA"] = Encoding.ASCII.GetBytes("sent");
        var result = (List<object?>)(await proxy.InvokeAsync("who"))!;
        Assert.Equal([1L, "Serpent", true, "sent"], result);
        Assert.Contains(proxy.ResponseAnnotations, a => a.Key == "RESP" && Encoding.ASCII.GetString(a.Value.Span) == "back");
        Assert.Contains(proxy.ResponseAnnotations, a => a.Key == "CORR");
    }

    [Fact]
    public async Task Each_call_sees_its_own_context_and_a_read_response_list_stays_as_it_was()
    {
        // The daemon reuses one context per connection and the proxy one receive buffer: neither may leak between calls.
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register(new PyroObjectBuilder("Ctx").Method("tag", call =>
        {
            var ctx = PyroCallContext.Current!;
            string tag = (string)call.Args[0]!;
            Assert.Empty(ctx.ResponseAnnotations); // the previous call's are gone
            ctx.ResponseAnnotations["RESP"] = Encoding.ASCII.GetBytes(tag);
            return new List<object?> { (long)ctx.Sequence, ctx.CorrelationId.ToString() };
        }).Build(), "ctx");
        daemon.Start();
        await using var proxy = new PyroProxy(uri);

        var first = (List<object?>)(await proxy.InvokeAsync("tag", ["one"]))!;
        var firstAnnotations = proxy.ResponseAnnotations;
        var second = (List<object?>)proxy.Invoke("tag", "two")!;

        Assert.Equal(1L, first[0]);
        Assert.Equal(2L, second[0]);
        Assert.NotEqual(first[1], second[1]);
        Assert.Equal("one", Encoding.ASCII.GetString(firstAnnotations.Single(a => a.Key == "RESP").Value.Span));
        Assert.Equal("two", Encoding.ASCII.GetString(proxy.ResponseAnnotations.Single(a => a.Key == "RESP").Value.Span));
        Assert.Equal(second[1], new Guid(proxy.ResponseAnnotations.Single(a => a.Key == "CORR").Value.Span, bigEndian: true).ToString());
    }

    [Fact]
    public async Task A_oneway_call_still_running_keeps_its_own_context()
    {
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var seen = new TaskCompletionSource<ushort>();
        var release = new TaskCompletionSource();
        var uri = daemon.Register(new PyroObjectBuilder("Ctx")
            .OnewayAsync("slow", async _ =>
            {
                await release.Task;
                seen.SetResult(PyroCallContext.Current!.Sequence);
            })
            .Method("seq", call => (long)call.Context.Sequence)
            .Build(), "ctx");
        daemon.Start();
        await using var proxy = new PyroProxy(uri);
        await proxy.InvokeAsync("slow");
        Assert.Equal(2L, await proxy.InvokeAsync("seq"));
        release.SetResult();
        Assert.Equal(1, await seen.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData("CORR")]
    [InlineData("HMAC")]
    [InlineData("STRM")]
    [InlineData("BLBI")]
    public async Task Reserved_annotation_keys_are_refused_for_user_code(string key)
    {
        await using var proxy = new PyroProxy("PYRO:x@127.0.0.1:1");
        var e = Assert.Throws<ArgumentException>(() => proxy.Annotations[key] = [1]);
        Assert.Contains("reserved", e.Message);
        Assert.Throws<ArgumentException>(() => proxy.Annotations["TOOLONG"] = [1]);
        Assert.Throws<ArgumentException>(() => proxy.Annotations["BIGV"] = new byte[70000]);
    }

    [Fact]
    public async Task Correlation_id_flows_through_a_second_hop_and_into_activities()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == PyroTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) activities.Add(a); },
        };
        ActivitySource.AddActivityListener(listener);

        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var backend = daemon.Register(new PyroObjectBuilder("Backend")
            .Method("corr", call => call.Context.CorrelationId.ToString()).Build(), "backend");
        var front = daemon.Register(new PyroObjectBuilder("Front").MethodAsync("relay", async call =>
        {
            // A call made while serving carries the incoming call's correlation id.
            await using var next = new PyroProxy(backend);
            return new List<object?> { call.Context.CorrelationId.ToString(), await next.InvokeAsync("corr") };
        }).Build(), "front");
        daemon.Start();

        var id = Guid.NewGuid();
        await using var proxy = new PyroProxy(front);
        List<object?> ids;
        using (PyroCorrelation.Begin(id))
        {
            ids = (List<object?>)(await proxy.InvokeAsync("relay"))!;
        }
        Assert.Equal([id.ToString(), id.ToString()], ids);

        // Without a scope, no CORR is sent and the daemon makes a fresh id per call.
        var fresh = (List<object?>)(await proxy.InvokeAsync("relay"))!;
        Assert.NotEqual(id.ToString(), fresh[0]);
        Assert.Equal(fresh[0], fresh[1]);

        await Task.Delay(100);
        lock (activities)
        {
            var hops = activities.Where(a => (string?)a.GetTagItem("pyro.correlation_id") == id.ToString()).ToList();
            Assert.Contains(hops, a => a.Kind == ActivityKind.Client && a.DisplayName == "front/relay");
            Assert.Contains(hops, a => a.Kind == ActivityKind.Server && a.DisplayName == "front/relay");
            Assert.Contains(hops, a => a.Kind == ActivityKind.Client && a.DisplayName == "backend/corr");
            Assert.Contains(hops, a => a.Kind == ActivityKind.Server && a.DisplayName == "backend/corr");
            Assert.All(hops, a => Assert.Equal("pyro", a.GetTagItem("rpc.system")));
        }
    }

    [Fact]
    public async Task Tracked_resources_are_disposed_when_the_client_goes_away()
    {
        var resource = new Resource();
        var untracked = new Resource();
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var disconnected = new TaskCompletionSource();
        daemon.ClientDisconnected += _ => disconnected.TrySetResult();
        var uri = daemon.Register(new PyroObjectBuilder("Files").Method("open", call =>
        {
            call.Context.Client!.TrackResource(resource);
            call.Context.Client.TrackResource(untracked);
            call.Context.Client.UntrackResource(untracked);
            return call.Context.Client.TrackedResources.Count;
        }).Build(), "files");
        daemon.Start();
        var proxy = new PyroProxy(uri);
        Assert.Equal(1L, await proxy.InvokeAsync("open"));
        Assert.False(resource.Disposed);
        proxy.Dispose();
        await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(5));
        for (int i = 0; i < 50 && !resource.Disposed; i++) await Task.Delay(20);
        Assert.True(resource.Disposed);
        Assert.False(untracked.Disposed);
    }
}

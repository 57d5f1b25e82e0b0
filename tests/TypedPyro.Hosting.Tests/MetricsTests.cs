using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace TypedPyro.Hosting.Tests;

/// <summary>The TypedPyro Meter and ActivitySource, collected with OpenTelemetry's in-memory exporter.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Calls_durations_bytes_connections_oneway_and_errors_are_measured_on_both_sides()
    {
        var metrics = new List<Metric>();
        var spans = new List<Activity>();
        using var meterProvider = Sdk.CreateMeterProviderBuilder().AddMeter(PyroMetrics.MeterName).AddInMemoryExporter(metrics).Build();
        using var tracerProvider = Sdk.CreateTracerProviderBuilder().AddSource(PyroTelemetry.SourceName).AddInMemoryExporter(spans).Build();

        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register<ICounter>(new Counter(new CounterLog()), "metrics.counter");
        daemon.Start();
        var untyped = new PyroProxy(uri);
        var correlation = Guid.NewGuid();
        PyroCorrelation.Current = correlation;
        Assert.Equal(1L, await untyped.InvokeAsync("next"));
        Assert.Equal(2L, await untyped.InvokeAsync("next"));
        await untyped.InvokeOnewayAsync("next");
        await Assert.ThrowsAnyAsync<Exception>(() => untyped.InvokeAsync("next", ["unexpected", "arguments"]));
        PyroCorrelation.Current = null;
        await untyped.DisposeAsync();
        for (int i = 0; i < 200 && daemon.ConnectionCount > 0; i++) await Task.Delay(25);
        meterProvider.ForceFlush();
        tracerProvider.ForceFlush();

        long Sum(string name, Func<MetricPoint, bool>? where = null)
        {
            long total = 0;
            foreach (var metric in metrics.Where(m => m.Name == name))
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    if (where is not null && !where(point)) continue;
                    total += metric.MetricType switch
                    {
                        MetricType.Histogram => point.GetHistogramCount(),
                        MetricType.LongSumNonMonotonic => point.GetSumLong(),
                        _ => point.GetSumLong(),
                    };
                }
            }
            return total;
        }
        static string? Tag(MetricPoint point, string key)
        {
            foreach (var tag in point.Tags) if (tag.Key == key) return tag.Value?.ToString();
            return null;
        }

        bool Next(MetricPoint p) => Tag(p, "rpc.method") == "next" && Tag(p, "rpc.service") == "metrics.counter" && Tag(p, "rpc.system") == "pyro";
        Assert.Equal(4, Sum("pyro.client.calls", Next));
        Assert.Equal(4, Sum("pyro.server.calls", Next));
        Assert.Equal(1, Sum("pyro.client.oneway_calls", Next));
        Assert.Equal(1, Sum("pyro.server.oneway_calls", Next));
        Assert.True(Sum("rpc.client.call.duration", Next) >= 3);
        Assert.True(Sum("rpc.server.call.duration", Next) >= 2);
        Assert.True(Sum("pyro.client.bytes_sent") > 100);
        Assert.True(Sum("pyro.server.bytes_sent") > 0 && Sum("pyro.client.bytes_received") > 0);
        Assert.Equal(1, Sum("pyro.server.errors", p => Tag(p, "error.type") is { Length: > 0 } && Tag(p, "rpc.method") == "next"));
        Assert.Equal(1, Sum("pyro.client.errors", p => Tag(p, "rpc.service") == "metrics.counter"));
        // Connections were opened and closed (other test classes may have theirs open: the meter is process-wide).
        Assert.Contains(metrics, m => m.Name == "pyro.server.connections");
        Assert.Contains(metrics, m => m.Name == "pyro.client.connections");

        // Both hops of a call carry the same correlation id: a trace tool links them.
        var client = spans.Where(s => s.Kind == ActivityKind.Client && s.GetTagItem("rpc.service") as string == "metrics.counter").ToList();
        var server = spans.Where(s => s.Kind == ActivityKind.Server && s.GetTagItem("rpc.service") as string == "metrics.counter").ToList();
        Assert.NotEmpty(client);
        Assert.NotEmpty(server);
        Assert.All(client.Concat(server), s => Assert.Equal(correlation.ToString(), s.GetTagItem("pyro.correlation_id")));
    }
}

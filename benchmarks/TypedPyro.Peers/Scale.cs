using System.Diagnostics;
using System.Globalization;

namespace TypedPyro.Peers;

/// <summary>Idle connections held by one multiplex daemon, in a process of its own (<c>--serve</c>) so that its memory can be read alone.</summary>
internal static class Scale
{
    /// <summary>The child process: a multiplex daemon with one object, printing its URI.</summary>
    public static async Task ServeAsync()
    {
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = PyroConfig.Default.With(c => c.ServerType = "multiplex") });
        Console.WriteLine("uri: " + daemon.Register(new PyroObjectBuilder("Idle").Method("ping", _ => null).Build(), "idle"));
        await daemon.RunAsync();
    }

    public static async Task RunAsync(Bench bench)
    {
        int connections = bench.Smoke ? 200 : 10_000;
        var child = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        child.ArgumentList.Add(typeof(Scale).Assembly.Location);
        child.ArgumentList.Add("--serve");
        using var server = Process.Start(child)!;
        try
        {
            string line = (await server.StandardOutput.ReadLineAsync())!;
            var idleUri = line["uri: ".Length..];
            await using (var warm = new PyroProxy(idleUri)) await warm.InvokeAsync("ping");
            GC.Collect();
            await Task.Delay(500);
            long before = ResidentBytes(server.Id);
            var idle = new List<PyroProxy>(connections);
            var started = Stopwatch.GetTimestamp();
            for (int i = 0; i < connections; i += 100)
            {
                var batch = Enumerable.Range(0, Math.Min(100, connections - i)).Select(_ => new PyroProxy(idleUri)).ToList();
                await Task.WhenAll(batch.Select(p => p.ConnectAsync()));
                idle.AddRange(batch);
            }
            var connectSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            await Task.Delay(1000);
            long after = ResidentBytes(server.Id);
            await idle[^1].InvokeAsync("ping"); // still serving with all of them open
            bench.Add(new(Workloads.Scale, $"{connections:N0} idle connections to one multiplex daemon", connections / connectSeconds,
                Note: $"{(after - before) / (double)connections / 1024:0.0} KiB resident per connection"));
            foreach (var p in idle) p.Dispose();
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }
    }

    private static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
    }
}

using System.Diagnostics;
using System.Globalization;

namespace TypedPyro.Soak;

/// <summary>
/// The soak's echo daemon alone in a child process (this program with <c>--serve</c>), driven over its standard input:
/// each <c>weigh [SOCKETS]</c> line is answered with one <c>weight ...</c> line (see <see cref="ServeAsync"/>).
/// </summary>
public sealed class ChildSoakDaemon : SoakDaemon
{
    private readonly Process process;

    private ChildSoakDaemon(Process process, PyroUri uri) { this.process = process; Uri = uri; }

    public override PyroUri Uri { get; }

    public override bool Apart => true;

    /// <summary>Starts this program again with <c>--serve</c> and waits for the daemon's URI.</summary>
    public static async Task<ChildSoakDaemon> StartAsync(int clients, TimeSpan workerRetirement)
    {
        // Run as 'dotnet TypedPyro.Soak.dll' or as its apphost: start the child the same way.
        string self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") info.ArgumentList.Add(typeof(ChildSoakDaemon).Assembly.Location);
        foreach (var arg in new[] { "--serve", clients.ToString(CultureInfo.InvariantCulture), workerRetirement.TotalSeconds.ToString(CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the soak daemon process ended before it served");
        return new ChildSoakDaemon(process, PyroUri.Parse(line));
    }

    public override async Task<DaemonWeight> WeighAsync(int? socketsTarget)
    {
        await process.StandardInput.WriteLineAsync(socketsTarget is { } target ? $"weigh {target}" : "weigh");
        await process.StandardInput.FlushAsync();
        var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the soak daemon process ended");
        var f = line.Split(' ');
        return new DaemonWeight(int.Parse(f[1]), int.Parse(f[2]), long.Parse(f[3]), f[4] == "-" ? null : long.Parse(f[4]), int.Parse(f[5]));
    }

    public override int ProcessId => process.Id;

    public override async ValueTask DisposeAsync()
    {
        process.StandardInput.Close(); // end of input ends the child
        if (!process.WaitForExit(10_000)) process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
    }

    /// <summary>The child's side: serves the echo daemon, prints its URI, answers each weigh line until its input ends.</summary>
    public static async Task ServeAsync(int clients, TimeSpan workerRetirement)
    {
        await using var daemon = SoakDaemon.InProcess(clients, workerRetirement);
        Console.WriteLine(daemon.Uri);
        while (await Console.In.ReadLineAsync() is { } command)
        {
            var words = command.Split(' ');
            if (words[0] != "weigh") continue;
            var w = await daemon.WeighAsync(words.Length > 1 ? int.Parse(words[1]) : null);
            Console.WriteLine($"weight {w.Sockets} {w.Connections} {w.Heap} {(w.EventQueue is { } q ? q : "-")} {w.Threads}");
        }
    }
}

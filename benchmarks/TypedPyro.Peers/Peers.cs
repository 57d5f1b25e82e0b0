using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace TypedPyro.Peers;

/// <summary>Starting and stopping the processes and servers the workloads talk to.</summary>
internal static partial class Peers
{
    public const string Python = "/usr/bin/python3";

    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>Starts a Python process and waits for a line matching <paramref name="ready"/>; returns its first group.</summary>
    public static Task<(Process Process, string Match)> StartPython(string ready, params string[] args) => StartPython(null, ready, args);

    /// <summary>The same, with extra environment variables (e.g. <c>PYRO_SSL</c>).</summary>
    public static async Task<(Process Process, string Match)> StartPython(IReadOnlyDictionary<string, string>? environment, string ready, params string[] args)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        info.Environment["PYTHONUNBUFFERED"] = "1";
        info.Environment["PYRO_BROADCAST_ADDRS"] = "127.0.0.1";
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var regex = new Regex(ready);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var m = regex.Match(line);
            if (m.Success)
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return (process, m.Groups.Count > 1 ? m.Groups[1].Value : line);
            }
        }
        throw new InvalidOperationException($"{string.Join(' ', args)} exited before printing /{ready}/");
    }

    /// <summary>Runs a Python script to completion and returns its numbers (one line of space-separated floats).</summary>
    public static Task<double[]> RunPython(string script, params string[] args) => RunPython(null, script, args);

    /// <summary>The same, with extra environment variables (e.g. <c>PYRO_SSL</c>).</summary>
    public static async Task<double[]> RunPython(IReadOnlyDictionary<string, string>? environment, string script, params string[] args)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException("python failed: " + errors);
        return output.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>
    /// Runs <paramref name="count"/> copies of a Python script at once (<see cref="PythonScripts.ConcurrentClient"/>):
    /// waits until each has printed "ready", starts them together with a line on their stdin, and sums their figures.
    /// </summary>
    public static Task<double> RunPythonTogether(int count, string script, params string[] args) => RunPythonTogether(null, count, script, args);

    /// <summary>The same, with extra environment variables (e.g. <c>PYRO_SSL</c>).</summary>
    public static async Task<double> RunPythonTogether(IReadOnlyDictionary<string, string>? environment, int count, string script, params string[] args)
    {
        var processes = new List<Process>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                var info = new ProcessStartInfo(Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                info.ArgumentList.Add("-c");
                info.ArgumentList.Add(script);
                foreach (var a in args) info.ArgumentList.Add(a);
                foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
                var process = Process.Start(info)!;
                process.ErrorDataReceived += (_, _) => { };
                process.BeginErrorReadLine();
                processes.Add(process);
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            foreach (var p in processes)
            {
                if (await p.StandardOutput.ReadLineAsync(timeout.Token) != "ready") throw new InvalidOperationException("python client failed to start");
            }
            foreach (var p in processes) await p.StandardInput.WriteLineAsync("go");
            foreach (var p in processes) await p.StandardInput.FlushAsync();
            double total = 0;
            foreach (var p in processes)
            {
                var line = await p.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("python client failed");
                total += double.Parse(line, CultureInfo.InvariantCulture);
            }
            return total;
        }
        finally
        {
            foreach (var p in processes) Stop(p);
        }
    }

    public static void Stop(Process process)
    {
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        process.Dispose();
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace TypedPyro.Gateway.Tests.Support;

/// <summary>
/// A long-running process of the real Python Pyro4 4.82 (Debian's <c>/usr/bin/python3</c>). Tests fail, never skip,
/// when it is missing.
/// </summary>
public sealed class PythonProcess : IAsyncDisposable
{
    public const string Python = "/usr/bin/python3";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _lock = new();

    private PythonProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_lock) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_lock) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Standard output and error so far.</summary>
    public string Output { get { lock (_lock) return _output.ToString(); } }

    public bool HasExited => _process.HasExited;

    public static PythonProcess Start(IDictionary<string, string>? environment, params string[] args)
    {
        if (!File.Exists(Python)) throw new InvalidOperationException($"{Python} not found: apt-get install -y python3-pyro4 python3-serpent python3-msgpack");
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["PYTHONUNBUFFERED"] = "1";
        info.Environment["PYTHONWARNINGS"] = "ignore";
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("PYRO_", StringComparison.Ordinal)).ToList()) info.Environment.Remove(key);
        // Keep every name server broadcast on this machine.
        info.Environment["PYRO_BROADCAST_ADDRS"] = "127.0.0.1";
        if (environment is not null) foreach (var (k, v) in environment) info.Environment[k] = v;
        return new PythonProcess(Process.Start(info)!);
    }

    /// <summary>Waits until the output has a line matching <paramref name="pattern"/>; returns the first group.</summary>
    public async Task<string> WaitForAsync(string pattern, TimeSpan? timeout = null)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var m = regex.Match(Output);
            if (m.Success) return m.Groups.Count > 1 ? m.Groups[1].Value.Trim() : m.Value;
            if (_process.HasExited) break;
            await Task.Delay(50);
        }
        throw new TimeoutException($"python never printed /{pattern}/.\noutput:\n{Output}");
    }

    /// <summary>Runs a Python script to completion and returns its standard output.</summary>
    public static async Task<string> RunScriptAsync(string script, string? stdin = null)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        info.StandardOutputEncoding = Encoding.UTF8;
        info.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0) throw new InvalidOperationException($"python exited {process.ExitCode}:\n{await stderr}");
        return await stdout;
    }

    /// <summary>A TCP port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

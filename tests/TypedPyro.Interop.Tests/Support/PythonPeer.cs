using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace TypedPyro.Interop.Tests.Support;

/// <summary>
/// Runs the real Python Pyro4 4.82 (Debian's <c>/usr/bin/python3</c>). Interop tests fail, never skip, when it is
/// missing: the README's test command installs it.
/// </summary>
public sealed class PythonPeer : IAsyncDisposable
{
    public const string Python = "/usr/bin/python3";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _errors = new();
    private readonly object _lock = new();

    private PythonPeer(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_lock) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_lock) _errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output { get { lock (_lock) return _output.ToString(); } }
    public string Errors { get { lock (_lock) return _errors.ToString(); } }

    /// <summary>Starts a long-running Python process (a server).</summary>
    public static PythonPeer Start(params string[] args) => StartWithEnvironment(null, args);

    /// <summary>Starts a long-running Python process with extra environment variables (PYRO_* settings).</summary>
    public static PythonPeer StartWithEnvironment(IDictionary<string, string>? environment, params string[] args)
    {
        RequirePyro();
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["PYTHONUNBUFFERED"] = "1";
        info.Environment.Remove("PYRO_HMAC_KEY");
        if (environment is not null) foreach (var (k, v) in environment) info.Environment[k] = v;
        return new PythonPeer(Process.Start(info)!);
    }

    /// <summary>Waits until the output has a line matching <paramref name="pattern"/>; returns the first group.</summary>
    public async Task<string> WaitForAsync(string pattern, TimeSpan? timeout = null)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            var m = regex.Match(Output);
            if (m.Success) return m.Groups.Count > 1 ? m.Groups[1].Value.Trim() : m.Value;
            if (_process.HasExited) break;
            await Task.Delay(50);
        }
        throw new TimeoutException($"python never printed /{pattern}/.\nstdout:\n{Output}\nstderr:\n{Errors}");
    }

    /// <summary>Sends a line to the process's standard input (a script waiting on <c>sys.stdin.readline()</c>).</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Runs a Python script to completion and returns its standard output (throws on a non-zero exit).</summary>
    public static async Task<string> RunScriptAsync(string script, IDictionary<string, string>? environment = null, string? stdin = null, TimeSpan? timeout = null)
    {
        RequirePyro();
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        info.Environment["PYTHONUNBUFFERED"] = "1";
        info.Environment.Remove("PYRO_HMAC_KEY");
        if (environment is not null) foreach (var (k, v) in environment) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"python script timed out.\nstdout:\n{await stdout}\nstderr:\n{await stderr}");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"python exited {process.ExitCode}.\nstdout:\n{await stdout}\nstderr:\n{await stderr}");
        return await stdout;
    }

    private static void RequirePyro()
    {
        if (!File.Exists(Python)) throw new InvalidOperationException($"{Python} not found: apt-get install -y python3-pyro4 python3-serpent python3-msgpack");
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

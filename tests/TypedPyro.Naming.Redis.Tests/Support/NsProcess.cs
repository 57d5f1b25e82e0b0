using System.Diagnostics;

namespace TypedPyro.Naming.Redis.Tests.Support;

/// <summary>A <c>typedpyro ns</c> process (the built tool beside the tests), killed on Dispose.</summary>
public sealed class NsProcess : IDisposable
{
    private static readonly string CliDll = Path.Combine(AppContext.BaseDirectory, "TypedPyro.Cli.dll");

    private NsProcess(Process process, int port)
    {
        Process = process;
        Port = port;
    }

    public Process Process { get; }

    public int Port { get; }

    /// <summary>Runs <c>typedpyro ns -n 127.0.0.1 -p PORT -s STORAGE</c> and waits for its <c>URI = </c> line.</summary>
    public static async Task<NsProcess> StartAsync(string storage, IDictionary<string, string>? environment = null, int? port = null)
    {
        int p = port ?? RedisServer.FreeTcpPort();
        var ns = new NsProcess(Launch(["ns", "-n", "127.0.0.1", "-p", p.ToString(System.Globalization.CultureInfo.InvariantCulture), "-s", storage], environment), p);
        try
        {
            var lines = new List<string>();
            while (true)
            {
                var line = await ns.Process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
                    ?? throw new InvalidOperationException("typedpyro ns exited: " + string.Join("\n", lines) + await ns.Process.StandardError.ReadToEndAsync());
                lines.Add(line);
                if (line.StartsWith("URI = ", StringComparison.Ordinal)) return ns;
            }
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    /// <summary>Runs <c>typedpyro</c> with <paramref name="args"/> to its end: exit code and standard error.</summary>
    public static async Task<(int ExitCode, string Errors)> RunAsync(IDictionary<string, string>? environment, params string[] args)
    {
        using var process = Launch(args, environment);
        var errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, (await errors).Trim());
    }

    private static Process Launch(string[] args, IDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(CliDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment.Remove("PYRO_HMAC_KEY");
        info.Environment.Remove(RedisStorageSpec.PasswordVariable);
        if (environment is not null) foreach (var (k, v) in environment) info.Environment[k] = v;
        return Process.Start(info)!;
    }

    /// <summary>Kills the name server at once (as when its machine is lost).</summary>
    public void Kill()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        Process.Dispose();
    }
}

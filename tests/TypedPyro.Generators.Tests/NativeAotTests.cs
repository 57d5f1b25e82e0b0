using System.Diagnostics;

namespace TypedPyro.Generators.Tests;

/// <summary>
/// The no-reflection promise, proven: samples/Greeting (name server, daemon, generated proxy and dispatcher) is
/// published with NativeAOT with no trimming or AOT warnings, and the native executable runs its calls.
/// </summary>
public sealed class NativeAotTests
{
    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TypedPyro.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("TypedPyro.sln not found above " + AppContext.BaseDirectory);
    }

    private static async Task<(int Code, string Output)> Run(string file, string arguments, string workingDirectory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} timed out");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task Greeting_publishes_with_native_aot_without_warnings_and_runs()
    {
        string root = RepositoryRoot();
        string output = Path.Combine(Path.GetTempPath(), $"typedpyro-aot-{Guid.NewGuid():N}");
        try
        {
            var (code, log) = await Run("dotnet", $"publish samples/Greeting -r linux-x64 -c Release -o \"{output}\" -nodeReuse:false -p:UseSharedCompilation=false",
                root, TimeSpan.FromMinutes(8));
            Assert.True(code == 0, log);
            Assert.DoesNotMatch(@"warning (IL\d+|CS\d+)", log);

            var (runCode, runOutput) = await Run(Path.Combine(output, "Greeting"), "", output, TimeSpan.FromSeconds(60));
            Assert.True(runCode == 0, runOutput);
            Assert.Contains("Hello, world!", runOutput);
            Assert.Contains("Hello, Ann! Hello, Bob!", runOutput);
            Assert.Contains("greetings so far: 3", runOutput);
            Assert.Contains("remote builtins.ValueError: a greeting needs a name", runOutput);
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }
}

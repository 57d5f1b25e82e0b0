using System.Diagnostics;

namespace TypedPyro.Generators.Tests.Support;

/// <summary>Runs build tools in the repository, for tests that publish or pack it the way a user would.</summary>
internal static class RepositoryProcess
{
    /// <summary>The folder holding TypedPyro.sln, found above the test assembly.</summary>
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TypedPyro.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("TypedPyro.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs a program to completion; returns its exit code and its standard output and error together.</summary>
    public static async Task<(int Code, string Output)> Run(string file, string arguments, string workingDirectory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
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

    /// <summary>Runs <c>dotnet</c> without leaving build servers behind.</summary>
    public static Task<(int Code, string Output)> Dotnet(string arguments, string workingDirectory)
        => Run("dotnet", arguments + " -nodeReuse:false", workingDirectory, TimeSpan.FromMinutes(8));
}

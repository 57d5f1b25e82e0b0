using TypedPyro.Generators.Tests.Support;

namespace TypedPyro.Generators.Tests;

/// <summary>
/// The no-reflection promise, proven: samples/Greeting (name server, daemon, generated proxy and dispatcher) is
/// published with NativeAOT with no trimming or AOT warnings, and the native executable runs its calls.
/// </summary>
[Collection(BuildCollection.Name)]
public sealed class NativeAotTests
{
    [Fact]
    public async Task Greeting_publishes_with_native_aot_without_warnings_and_runs()
    {
        string root = RepositoryProcess.Root();
        string output = Path.Combine(Path.GetTempPath(), $"typedpyro-aot-{Guid.NewGuid():N}");
        try
        {
            var (code, log) = await RepositoryProcess.Dotnet($"publish samples/Greeting -r linux-x64 -c Release -o \"{output}\" -p:UseSharedCompilation=false", root);
            Assert.True(code == 0, log);
            Assert.DoesNotMatch(@"warning (IL\d+|CS\d+)", log);

            var (runCode, runOutput) = await RepositoryProcess.Run(Path.Combine(output, "Greeting"), "", output, TimeSpan.FromSeconds(60));
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

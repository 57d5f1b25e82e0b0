using System.IO.Compression;
using TypedPyro.Generators.Tests.Support;

namespace TypedPyro.Generators.Tests;

/// <summary>
/// The one TypedPyro package, as a user gets it: it carries the runtime, the generator and the analyzers, and a
/// project that only references the package gets generated proxies, working calls, and the analyzers' warnings in
/// its real <c>dotnet build</c> output.
/// </summary>
[Collection(BuildCollection.Name)]
public sealed class PackageTests
{
    private const string ConsumerProgram = """
        using TypedPyro;

        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register<ICalculator>(new Calculator(), "calc");
        daemon.Start();
        var calc = Pyro.Proxy<ICalculator>(uri);
        Console.WriteLine($"sum={calc.Add(2, 3)}");
        Pyro.Release(calc);
        Leaky(uri);

        static void Leaky(PyroUri uri)
        {
            var forgotten = new PyroProxy(uri); // TPY6001: never released
            Console.WriteLine(forgotten.Uri);
        }

        [Expose]
        public interface ICalculator
        {
            int Add(int a, int b);
        }

        public sealed class Calculator : ICalculator
        {
            public int Add(int a, int b) => a + b;
        }

        [Expose] // TPY1001: a whole class exposed
        public sealed class Everything
        {
            public int Value() => 1;
        }
        """;

    [Fact]
    public async Task A_project_referencing_only_the_package_gets_proxies_and_diagnostics()
    {
        string root = RepositoryProcess.Root();
        string work = Path.Combine(Path.GetTempPath(), $"typedpyro-pkg-{Guid.NewGuid():N}");
        string feed = Path.Combine(work, "feed");
        string consumer = Path.Combine(work, "consumer");
        Directory.CreateDirectory(consumer);
        // A unique version so that no copy cached by an earlier run is used.
        string version = $"0.0.0-test{DateTime.UtcNow:yyyyMMddHHmmss}{Random.Shared.Next(1000):D3}";
        try
        {
            var (packCode, packLog) = await RepositoryProcess.Dotnet($"pack src/TypedPyro -c Release -o \"{feed}\" -p:PackageVersion={version}", root);
            Assert.True(packCode == 0, packLog);

            string package = Path.Combine(feed, $"TypedPyro.{version}.nupkg");
            using (var zip = ZipFile.OpenRead(package))
            {
                var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
                Assert.Contains("lib/net10.0/TypedPyro.dll", entries);
                Assert.Contains("analyzers/dotnet/cs/TypedPyro.Generators.dll", entries);
                Assert.Contains("analyzers/dotnet/cs/TypedPyro.Analyzers.dll", entries);
                Assert.Contains("analyzers/dotnet/cs/TypedPyro.Analyzers.CodeFixes.dll", entries);
                Assert.Contains("build/TypedPyro.props", entries);
                Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Analyzers", StringComparison.Ordinal));
            }

            await PackageConsumer.WriteAsync(consumer, feed, version, ConsumerProgram);

            var (buildCode, buildLog) = await RepositoryProcess.Dotnet("build -c Release -p:UseSharedCompilation=false", consumer);
            Assert.True(buildCode == 0, buildLog);
            Assert.Contains("warning TPY1001", buildLog);
            Assert.Contains("warning TPY6001", buildLog);
            Assert.DoesNotContain("AD0001", buildLog);

            var (runCode, runLog) = await RepositoryProcess.Dotnet("run -c Release --no-build", consumer);
            Assert.True(runCode == 0, runLog);
            Assert.Contains("sum=5", runLog);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }
}

using System.Diagnostics;
using Xunit;

namespace TypedPyro.Analyzers.Tests;

/// <summary>
/// Builds a small project with the real `dotnet build` in a temporary folder: the analyzer DLL this test project
/// was built with is referenced as an &lt;Analyzer Include="..."/&gt; item (no package), the TypedPyro names come
/// from a source file, and the serializer is declared with &lt;TypedPyroSerializer&gt;json&lt;/TypedPyroSerializer&gt;
/// made compiler-visible, as the runtime package's targets will do.
/// </summary>
public class RealBuildTests
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <TypedPyroSerializer>json</TypedPyroSerializer>
          </PropertyGroup>
          <ItemGroup>
            <CompilerVisibleProperty Include="TypedPyroSerializer" />
            <Analyzer Include="{ANALYZER}" />
          </ItemGroup>
        </Project>
        """;

    private const string Runtime = """
        namespace TypedPyro
        {
            [AttributeUsage(AttributeTargets.Interface | AttributeTargets.Method | AttributeTargets.Property | AttributeTargets.Class)]
            public sealed class ExposeAttribute : Attribute { }
            [AttributeUsage(AttributeTargets.Method)]
            public sealed class OnewayAttribute : Attribute { }
            public sealed class PyroConfig { public string Serializer { get; set; } = "serpent"; }
            public sealed class PyroProxy(string uri) : IDisposable
            {
                public object? Invoke(string method) => uri;
                public void Dispose() { }
            }
        }
        """;

    private const string Code = """
        using TypedPyro;

        namespace Demo;

        [Expose] public interface IServer { List<string> Process(List<string> message); }
        [Expose] public interface IClient { List<string> Bounce(List<string> message); TimeSpan Uptime(); }

        public class Server(IClient client) : IServer
        {
            public List<string> Process(List<string> message) => client.Bounce(message);
        }

        public class Client(IServer server) : IClient
        {
            public List<string> Bounce(List<string> message) => server.Process(message);
            public TimeSpan Uptime() => TimeSpan.Zero;
        }

        [Expose]
        public class Everything { }

        public static class Setup
        {
            public static void Configure(PyroConfig config) => config.Serializer = "pickle";

            public static object? Call()
            {
                var proxy = new PyroProxy("PYRO:x@localhost:9999");
                return proxy.Invoke("ping");
            }
        }
        """;

    [Fact]
    public async Task DotnetBuild_ReportsTheDiagnostics()
    {
        string analyzer = typeof(ContractAnalyzer).Assembly.Location;
        string dir = Path.Combine(Path.GetTempPath(), "tpy-realbuild-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "Demo.csproj"), Project.Replace("{ANALYZER}", analyzer));
            File.WriteAllText(Path.Combine(dir, "Runtime.cs"), Runtime);
            File.WriteAllText(Path.Combine(dir, "Code.cs"), Code);

            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = dir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            // No compiler server or MSBuild nodes are left running after the test.
            foreach (var arg in new[] { "build", "Demo.csproj", "-nologo", "-v:q", "-clp:NoSummary", "-nodeReuse:false", "--disable-build-servers", "-p:UseSharedCompilation=false" })
                start.ArgumentList.Add(arg);
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment.Remove("MSBuildExtensionsPath");
            start.Environment.Remove("MSBuildSDKsPath");

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await process.WaitForExitAsync(timeout.Token);
            string output = await stdout + await stderr;

            Assert.True(process.ExitCode != 0, "TPY5001 and TPY3002 are errors: the build must fail\n" + output);
            Assert.Matches(@"Code\.cs\(\d+,\d+\): warning TPY4001: Remote calls go round in a circle with no \[Oneway\] link: IClient -> IServer -> IClient", output);
            Assert.Matches(@"Code\.cs\(\d+,\d+\): warning TPY1001: Class 'Everything' is marked \[Expose\]", output);
            Assert.Matches(@"Code\.cs\(\d+,\d+\): error TPY5001: Serializer 'pickle'", output);
            Assert.Matches(@"Code\.cs\(\d+,\d+\): error TPY3002: 'TimeSpan' in remote member 'Uptime' cannot cross the wire with the json serializer", output);
            Assert.Matches(@"Code\.cs\(\d+,\d+\): warning TPY6001: Proxy 'proxy' is never disposed", output);
            Assert.DoesNotContain("AD0001", output);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}

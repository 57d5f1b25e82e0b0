using System.IO.Compression;
using TypedPyro.Generators.Tests.Support;

namespace TypedPyro.Hosting.Tests;

/// <summary>
/// The TypedPyro.Hosting package beside the TypedPyro package, as a user gets them: the core package still depends on
/// no hosting package, and a project referencing the two hosts a DI-built daemon configured from appsettings.json,
/// calls it through a proxy from DI, reports health and stops.
/// </summary>
public sealed class PackageTests
{
    private const string ConsumerProgram = """
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Diagnostics.HealthChecks;
        using Microsoft.Extensions.Hosting;
        using TypedPyro;
        using TypedPyro.Hosting;

        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddPyroDaemon(builder.Configuration.GetSection("Pyro")).AddObject<ICalculator, Calculator>("calc");
        builder.Services.AddHealthChecks().AddPyroDaemonHealthCheck();
        using var host = builder.Build();
        await host.StartAsync();
        var hosted = host.Services.GetRequiredService<PyroDaemonHost>();
        Console.WriteLine($"commtimeout={hosted.Daemon!.Config.CommTimeout.TotalSeconds}");
        var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Console.WriteLine($"health={health.Status}");

        var clients = new ServiceCollection();
        clients.AddPyroProxy<ICalculator>(hosted.UriOf("calc").ToString());
        await using (var provider = clients.BuildServiceProvider())
        {
            Console.WriteLine($"sum={provider.GetRequiredService<ICalculator>().Add(2, 3)}");
        }
        await host.StopAsync();
        Console.WriteLine($"stopped={hosted.Daemon.Completion.IsCompleted}");

        [Expose]
        public interface ICalculator
        {
            int Add(int a, int b);
        }

        public sealed class Calculator : ICalculator
        {
            public int Add(int a, int b) => a + b;
        }
        """;

    [Fact]
    public async Task A_project_referencing_both_packages_hosts_a_DI_built_daemon()
    {
        string root = RepositoryProcess.Root();
        string work = Path.Combine(Path.GetTempPath(), $"typedpyro-hosting-pkg-{Guid.NewGuid():N}");
        string feed = Path.Combine(work, "feed");
        string consumer = Path.Combine(work, "consumer");
        Directory.CreateDirectory(consumer);
        string version = $"0.0.0-test{DateTime.UtcNow:yyyyMMddHHmmss}{Random.Shared.Next(1000):D3}";
        try
        {
            foreach (var project in new[] { "src/TypedPyro", "src/TypedPyro.Hosting" })
            {
                var (packCode, packLog) = await RepositoryProcess.Dotnet($"pack {project} -c Release -o \"{feed}\" -p:PackageVersion={version}", root);
                Assert.True(packCode == 0, packLog);
            }

            using (var zip = ZipFile.OpenRead(Path.Combine(feed, $"TypedPyro.Hosting.{version}.nupkg")))
            {
                var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
                Assert.Contains("lib/net10.0/TypedPyro.Hosting.dll", entries);
                Assert.Contains("lib/net10.0/TypedPyro.Hosting.xml", entries);
                Assert.DoesNotContain("lib/net10.0/TypedPyro.dll", entries); // a package dependency, not a copy
                string nuspec = new StreamReader(zip.GetEntry("TypedPyro.Hosting.nuspec")!.Open()).ReadToEnd();
                Assert.Contains($"id=\"TypedPyro\" version=\"{version}\"", nuspec);
                Assert.Contains("Microsoft.Extensions.Hosting.Abstractions", nuspec);
                Assert.Contains("Microsoft.Extensions.Diagnostics.HealthChecks", nuspec);
            }
            using (var zip = ZipFile.OpenRead(Path.Combine(feed, $"TypedPyro.{version}.nupkg")))
            {
                string nuspec = new StreamReader(zip.GetEntry("TypedPyro.nuspec")!.Open()).ReadToEnd();
                Assert.DoesNotContain("Hosting", nuspec); // plain users get no hosting dependency
                Assert.DoesNotContain("HealthChecks", nuspec);
                Assert.DoesNotContain("OpenTelemetry", nuspec);
            }

            await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="typedpyro-local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="TypedPyro" Version="{version}" />
                    <PackageReference Include="TypedPyro.Hosting" Version="{version}" />
                    <PackageReference Include="Microsoft.Extensions.Hosting" Version="10.0.0" />
                  </ItemGroup>
                  <ItemGroup>
                    <None Include="appsettings.json" CopyToOutputDirectory="PreserveNewest" />
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(consumer, "appsettings.json"), """
                { "Pyro": { "HOST": "127.0.0.1", "PORT": 0, "COMMTIMEOUT": 4.5 } }
                """);
            await File.WriteAllTextAsync(Path.Combine(consumer, "Program.cs"), ConsumerProgram);

            var (buildCode, buildLog) = await RepositoryProcess.Dotnet("build -c Release -p:UseSharedCompilation=false", consumer);
            Assert.True(buildCode == 0, buildLog);
            var (runCode, runLog) = await RepositoryProcess.Run("dotnet", "bin/Release/net10.0/Consumer.dll", consumer, TimeSpan.FromMinutes(2));
            Assert.True(runCode == 0, runLog);
            Assert.Contains("commtimeout=4.5", runLog);
            Assert.Contains("health=Healthy", runLog);
            Assert.Contains("sum=5", runLog);
            Assert.Contains("stopped=True", runLog);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }
}

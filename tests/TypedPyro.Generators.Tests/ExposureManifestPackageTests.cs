using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using TypedPyro.Generators.Tests.Support;

namespace TypedPyro.Generators.Tests;

/// <summary>
/// The exposure manifest as a user gets it: a project referencing only the packed TypedPyro package, with
/// <c>&lt;PyroExposureManifest&gt;true&lt;/PyroExposureManifest&gt;</c>, gets <c>obj/.../pyro-exposure.json</c> and
/// <c>.sarif</c> from a real <c>dotnet build</c>; the built program's daemon is then asked by Python Pyro4 what each
/// object serves, which must be what the manifest lists. Every process runs under a timeout.
/// </summary>
[Collection(BuildCollection.Name)]
public sealed class ExposureManifestPackageTests
{
    private const string ConsumerProgram = """
        using TypedPyro;

        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        Console.WriteLine("uri=" + daemon.Register<IShop>(new Shop(), "shop"));
        Console.WriteLine("uri=" + daemon.Register<ICounter>(new Counter(), "counter"));
        daemon.Start();
        Console.WriteLine("ready");
        // Until the test says stop, and never longer than a minute: a test that dies must not leave this behind.
        await Task.WhenAny(Task.Run(Console.In.ReadLine), Task.Delay(TimeSpan.FromSeconds(60)));

        [Expose, PyroNaming(PyroNamingPolicy.SnakeCase)]
        public interface IShop
        {
            int GetStock(string item);
            [Oneway] void Reset();
            [Oneway] Task RestockAsync(string item, int count);
            IEnumerable<string> Items(int limit = 10);
            string Name { get; }
            int Capacity { get; set; }
        }

        public interface ICounter
        {
            [Expose] int Next();
            int Peek();
        }

        public sealed class Shop : IShop
        {
            private int _stock;
            public int GetStock(string item) => _stock;
            public void Reset() => _stock = 0;
            public Task RestockAsync(string item, int count) { _stock += count; return Task.CompletedTask; }
            public IEnumerable<string> Items(int limit = 10) => ["pen", "cup"];
            public string Name => "the shop";
            public int Capacity { get; set; } = 7;
            public string Secret() => "never remote";
        }

        public sealed class Counter : ICounter
        {
            private int _n;
            public int Next() => ++_n;
            public int Peek() => _n;
        }
        """;

    // Reads each object's metadata as Python's proxy binds it; on the shop, calls the oneway methods (one without
    // arguments: an earlier version of this test hung there) and waits until the daemon has run each.
    private const string PythonClient = """
        import json, sys, time
        import Pyro4

        def wait_for(proxy, stock):
            deadline = time.time() + 10
            while proxy.get_stock("pen") != stock:
                if time.time() > deadline:
                    raise SystemExit("stock never became %d" % stock)
                time.sleep(0.05)

        result = {}
        for uri in sys.argv[1:]:
            with Pyro4.Proxy(uri) as p:
                p._pyroTimeout = 10
                p._pyroBind()
                result[uri] = {"methods": sorted(p._pyroMethods), "oneway": sorted(p._pyroOneway), "attrs": sorted(p._pyroAttrs)}
                if "reset" in p._pyroOneway:
                    p.restock("pen", 3)
                    wait_for(p, 3)
                    p.reset()
                    wait_for(p, 0)
                    result["oneway_calls_ran"] = True
        print(json.dumps(result))
        """;

    // Alone the test takes about 35 s; the limits are for hangs, with room for a loaded machine.
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_package_build_writes_the_manifest_and_python_sees_exactly_what_it_lists()
    {
        string root = RepositoryProcess.Root();
        string work = Path.Combine(Path.GetTempPath(), $"typedpyro-exposure-{Guid.NewGuid():N}");
        string feed = Path.Combine(work, "feed");
        string consumer = Path.Combine(work, "consumer");
        Directory.CreateDirectory(consumer);
        string version = $"0.0.0-exposure{DateTime.UtcNow:yyyyMMddHHmmss}{Random.Shared.Next(1000):D3}";
        var clock = Stopwatch.StartNew();
        try
        {
            // The runtime was just built for this test run (a project reference): pack that build as it is.
            var (packCode, packLog) = await RepositoryProcess.Run("dotnet",
                $"pack src/TypedPyro --no-build -c {Configuration} -o \"{feed}\" -p:PackageVersion={version} -nodeReuse:false", root, Step);
            Assert.True(packCode == 0, packLog);
            var packed = clock.Elapsed;
            using (var zip = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed, $"TypedPyro.{version}.nupkg")))
            {
                var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
                Assert.Contains("build/TypedPyro.targets", entries);
                Assert.Contains("buildTransitive/TypedPyro.targets", entries);
            }

            await PackageConsumer.WriteAsync(consumer, feed, version, ConsumerProgram, name: "Shop", properties: "<PyroExposureManifest>true</PyroExposureManifest>");

            var (buildCode, buildLog) = await RepositoryProcess.Run("dotnet", "build -c Release -p:UseSharedCompilation=false -nodeReuse:false", consumer, Step);
            Assert.True(buildCode == 0, buildLog);
            var built = clock.Elapsed;
            string obj = Path.Combine(consumer, "obj", "Release", "net10.0");
            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(obj, "pyro-exposure.json")));
            using var sarif = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(obj, "pyro-exposure.sarif")));
            Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
            var registrations = manifest.RootElement.GetProperty("registrations").EnumerateArray().ToList();
            Assert.Equal(new[] { "shop", "counter" }, registrations.Select(r => r.GetProperty("objectId").GetString()));
            Assert.All(registrations, r => Assert.Equal("Program.cs", r.GetProperty("file").GetString()));

            var (uris, stop) = await StartAsync(Path.Combine(consumer, "bin", "Release", "net10.0", "Shop.dll"), consumer);
            try
            {
                await File.WriteAllTextAsync(Path.Combine(consumer, "client.py"), PythonClient);
                var (pythonCode, pythonOutput) = await RepositoryProcess.Run("/usr/bin/python3", "client.py " + string.Join(" ", uris), consumer, TimeSpan.FromSeconds(30));
                Assert.True(pythonCode == 0, pythonOutput);
                using var seen = JsonDocument.Parse(pythonOutput.Split('\n').Last(line => line.StartsWith('{')));
                Assert.True(seen.RootElement.GetProperty("oneway_calls_ran").GetBoolean());

                var contracts = manifest.RootElement.GetProperty("contracts").EnumerateArray().ToDictionary(c => c.GetProperty("interface").GetString()!);
                foreach (var registration in registrations)
                {
                    string id = registration.GetProperty("objectId").GetString()!;
                    var metadata = seen.RootElement.GetProperty(uris.Single(u => u.StartsWith("PYRO:" + id + "@", StringComparison.Ordinal)));
                    var contract = contracts[registration.GetProperty("contract").GetString()!];
                    var methods = contract.GetProperty("methods").EnumerateArray().ToList();
                    Assert.Equal(Names(methods, "wireName"), Strings(metadata.GetProperty("methods")));
                    Assert.Equal(Names(methods.Where(m => m.GetProperty("oneway").GetBoolean()), "wireName"), Strings(metadata.GetProperty("oneway")));
                    Assert.Equal(Names(contract.GetProperty("attributes").EnumerateArray(), "wireName"), Strings(metadata.GetProperty("attrs")));
                }
                Assert.Equal(new[] { "get_stock", "items", "reset", "restock" }, Names(contracts["IShop"].GetProperty("methods").EnumerateArray(), "wireName"));
                Assert.Equal(new[] { "Next" }, Names(contracts["ICounter"].GetProperty("methods").EnumerateArray(), "wireName"));
            }
            finally
            {
                await stop();
            }
            // Reported for the record (docs/exposure-manifest.md).
            Console.WriteLine($"exposure package test: pack {packed.TotalSeconds:F1} s, build {(built - packed).TotalSeconds:F1} s, run and compare {(clock.Elapsed - built).TotalSeconds:F1} s");
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static string Configuration => typeof(ExposureManifestPackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private static List<string> Names(IEnumerable<JsonElement> items, string property) => items.Select(i => i.GetProperty(property).GetString()!).Order(StringComparer.Ordinal).ToList();

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToList();

    /// <summary>Starts the built program and waits for its URIs; the returned function stops it (killing it if it lingers).</summary>
    private static async Task<(List<string> Uris, Func<Task> Stop)> StartAsync(string dll, string directory)
    {
        var info = new ProcessStartInfo("dotnet", $"\"{dll}\"") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var uris = new List<string>();
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            try
            {
                while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line && line != "ready")
                {
                    if (line.StartsWith("uri=", StringComparison.Ordinal)) uris.Add(line[4..]);
                }
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("the consumer did not start: " + await stderr);
            }
        }
        Assert.Equal(2, uris.Count);
        return (uris, async () =>
        {
            try { await process.StandardInput.WriteLineAsync(); } catch (IOException) { }
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); }
            process.Dispose();
        });
    }
}

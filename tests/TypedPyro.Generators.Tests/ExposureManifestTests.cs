using System.Reflection;
using System.Text.Json;
using TypedPyro.Generators.Tests.Support;
using TypedPyro.Serialization;

namespace TypedPyro.Generators.Tests;

/// <summary>
/// The exposure manifest (<c>PyroExposureManifest=true</c>): its text against checked-in expected files, nothing
/// without the property, and a comparison with what a daemon serving the case's registrations answers over the wire
/// (<c>get_metadata</c>): nothing callable that the manifest omits.
/// </summary>
public sealed class ExposureManifestTests
{
    private static readonly BuildProperties Enabled = BuildProperties.Of(("PyroExposureManifest", "true"));

    private static Generated RunEnabled() => GeneratorHarness.RunWith(Enabled, GeneratorHarness.Case("Exposure.cs"));

    [Fact]
    public void Manifest_matches_snapshot_and_is_valid_json_and_sarif()
    {
        var generated = RunEnabled();
        GeneratorHarness.AssertCompiles(generated.Output);
        string source = generated.Sources[ExposureText.HintName];
        string json = ExposureText.Extract(source, "Json");
        string sarif = ExposureText.Extract(source, "Sarif");
        using (var manifest = JsonDocument.Parse(json))
        {
            Assert.Equal(1, manifest.RootElement.GetProperty("manifestVersion").GetInt32());
        }
        using (var log = JsonDocument.Parse(sarif))
        {
            // What SARIF 2.1.0 requires of a log, a run and a result, and what viewers need to show one.
            Assert.Equal("2.1.0", log.RootElement.GetProperty("version").GetString());
            var run = Assert.Single(log.RootElement.GetProperty("runs").EnumerateArray());
            var driver = run.GetProperty("tool").GetProperty("driver");
            Assert.False(string.IsNullOrEmpty(driver.GetProperty("name").GetString()));
            var rules = driver.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToHashSet();
            var results = run.GetProperty("results").EnumerateArray().ToList();
            Assert.All(results, result =>
            {
                Assert.Contains(result.GetProperty("ruleId").GetString(), rules);
                Assert.Contains(result.GetProperty("level").GetString(), new[] { "none", "note", "warning", "error" });
                Assert.False(string.IsNullOrEmpty(result.GetProperty("message").GetProperty("text").GetString()));
                Assert.NotEmpty(result.GetProperty("locations").EnumerateArray());
            });
            // One result per served member (7 methods and 2 attributes of IInventory, 1 and 1 of IClock), per
            // registration (5) and for the daemon object.
            Assert.Equal(9 + 2 + 5 + 1, results.Count);
        }
        // The harness names each compilation uniquely; the snapshots show it without the unique part.
        string assembly = generated.Input.AssemblyName!;
        Snapshot.Verify("Exposure", new Dictionary<string, string>
        {
            [ExposureText.HintName] = source.Replace(assembly, "UserContracts", StringComparison.Ordinal),
            ["pyro-exposure.json"] = json.Replace(assembly, "UserContracts", StringComparison.Ordinal) + "\n",
            ["pyro-exposure.sarif"] = sarif + "\n",
        });
    }

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    [InlineData("")]
    public void Without_the_property_nothing_is_generated(string? value)
    {
        var properties = value is null ? null : BuildProperties.Of(("PyroExposureManifest", value));
        var generated = GeneratorHarness.RunWith(properties, GeneratorHarness.Case("Exposure.cs"));
        Assert.DoesNotContain(ExposureText.HintName, generated.Sources.Keys);
        Assert.Contains("Example.Exposure.IInventory.PyroProxy.g.cs", generated.Sources.Keys);
    }

    [Fact]
    public void The_payload_is_compiled_out_of_the_assembly()
    {
        var generated = RunEnabled();
        var assembly = GeneratorHarness.Load(generated.Output);
        Assert.Null(assembly.GetType("TypedPyro.Generated.PyroExposureManifest"));
        // With the symbol defined, the same file compiles to the two constants.
        var defined = GeneratorHarness.ParseOptions.WithPreprocessorSymbols("TYPEDPYRO_EXPOSURE_PAYLOAD");
        var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(generated.Sources[ExposureText.HintName], defined);
        var compilation = GeneratorHarness.Compilation().AddSyntaxTrees(tree);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        Assert.Contains(compilation.GetSymbolsWithName("PyroExposureManifest"), s => s is Microsoft.CodeAnalysis.INamedTypeSymbol);
    }

    [Fact]
    public async Task A_running_daemon_serves_nothing_the_manifest_omits()
    {
        var generated = RunEnabled();
        using var manifest = JsonDocument.Parse(ExposureText.Extract(generated.Sources[ExposureText.HintName], "Json"));
        var root = manifest.RootElement;
        var assembly = GeneratorHarness.Load(generated.Output);
        var serve = assembly.GetType("Example.Exposure.Server", throwOnError: true)!.GetMethod("Serve", BindingFlags.Public | BindingFlags.Static)!;

        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        int served = (int)serve.Invoke(null, [daemon, "s1"])!;
        daemon.Start();

        var registrations = root.GetProperty("registrations").EnumerateArray().ToList();
        // Every object the daemon serves came from a registration the manifest lists (those that serve nothing throw).
        Assert.Equal(registrations.Count(r => r.GetProperty("serves").GetString() != "nothing"), served);

        await using var daemonObject = new PyroProxy(daemon.LocationUri);
        var contracts = root.GetProperty("contracts").EnumerateArray().ToDictionary(c => c.GetProperty("interface").GetString()!);
        var checkedIds = new List<string>();
        foreach (var id in daemon.RegisteredIds.Where(id => id != "Pyro.Daemon"))
        {
            var metadata = PyroObjectMetadata.FromWireValue(await daemonObject.InvokeAsync("get_metadata", [id]).WaitAsync(TimeSpan.FromSeconds(10)));
            var registration = FindRegistration(registrations, id);
            string serves = registration.GetProperty("serves").GetString()!;
            if (serves == "unknown")
            {
                // A hand-made dispatcher: the manifest cannot list its members, and says so (SARIF PYX006).
                Assert.Equal(JsonValueKind.Null, registration.GetProperty("contract").ValueKind);
                checkedIds.Add(id + " (unknown)");
                continue;
            }
            Assert.Equal("contract", serves);
            var contract = contracts[registration.GetProperty("contract").GetString()!];
            var methods = contract.GetProperty("methods").EnumerateArray().ToList();
            Assert.Equal(Sorted(methods.Select(m => m.GetProperty("wireName").GetString()!)), Sorted(metadata.Methods));
            Assert.Equal(Sorted(methods.Where(m => m.GetProperty("oneway").GetBoolean()).Select(m => m.GetProperty("wireName").GetString()!)), Sorted(metadata.Oneway));
            Assert.Equal(Sorted(contract.GetProperty("attributes").EnumerateArray().Select(a => a.GetProperty("wireName").GetString()!)), Sorted(metadata.Attributes));
            checkedIds.Add(id);
        }
        Assert.Equal(4, checkedIds.Count); // inventory, the generated id, inventory.s1, hand

        // The daemon's own object, which every daemon serves, is listed too.
        var own = PyroObjectMetadata.FromWireValue(await daemonObject.InvokeAsync("get_metadata", ["Pyro.Daemon"]).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(Sorted(root.GetProperty("daemonObject").GetProperty("methods").EnumerateArray().Select(m => m.GetString()!)), Sorted(own.Methods));
        Assert.Empty(own.Attributes);

        // What the manifest leaves out is refused: a public method of the implementation outside the contract, a member
        // of a partly exposed interface without [Expose], and a member the generator skipped.
        await using var inventory = new PyroProxy(UriOf(daemon, "inventory"));
        Assert.Equal(5L, await inventory.InvokeAsync("get_stock", ["cable"]).WaitAsync(TimeSpan.FromSeconds(10)));
        // Every public method of the implementation (object's included), by its C# and its snake_case name, that the
        // manifest does not list is refused.
        var listed = InventoryWireNames(contracts);
        var probes = assembly.GetType("Example.Exposure.Inventory", throwOnError: true)!
            .GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .SelectMany(m => new[] { m.Name, Parsing.WireNames.ToSnakeCase(m.Name) })
            .Where(name => !listed.Contains(name))
            .Distinct()
            .ToList();
        Assert.Contains("Secret", probes);
        Assert.Contains("generic", probes);
        Assert.Contains("get_hash_code", probes);
        foreach (var method in probes)
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => inventory.InvokeAsync(method, ["x"]).WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.IsNotType<TimeoutException>(refused);
        }
        // Attributes: what the manifest calls writable can be set remotely, the others cannot.
        var inventoryContract = contracts["Example.Exposure.IInventory"];
        foreach (var attribute in inventoryContract.GetProperty("attributes").EnumerateArray())
        {
            string name = attribute.GetProperty("wireName").GetString()!;
            object value = attribute.GetProperty("wireType").GetString() == "int" ? 3L : "x";
            var set = inventory.SetAttributeAsync(name, value).WaitAsync(TimeSpan.FromSeconds(10));
            if (attribute.GetProperty("writable").GetBoolean()) await set;
            else Assert.IsNotType<TimeoutException>(await Assert.ThrowsAnyAsync<Exception>(() => set));
        }
        Assert.Equal(3L, await inventory.GetAttributeAsync("capacity").WaitAsync(TimeSpan.FromSeconds(10)));

        await using var clock = new PyroProxy(UriOf(daemon, daemon.RegisteredIds.Single(id => id.StartsWith("obj_", StringComparison.Ordinal))));
        Assert.Equal(42L, await clock.InvokeAsync("Now").WaitAsync(TimeSpan.FromSeconds(10)));
        var adjust = await Assert.ThrowsAnyAsync<Exception>(() => clock.InvokeAsync("Adjust", [1L]).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.IsNotType<TimeoutException>(adjust);
    }

    [Fact]
    public void A_contract_from_a_referenced_assembly_is_listed_for_the_registration_that_serves_it()
    {
        var library = GeneratorHarness.Compilation("""
            using TypedPyro;
            namespace Shared;
            [Expose] public interface IRemoteLog { void Write(string line); [Oneway] void Flush(); int Count { get; } }
            public interface IUnrelated { int Value(); }
            """);
        var server = GeneratorHarness.Compilation("""
            using TypedPyro;
            public static class Server
            {
                public static void Serve(PyroDaemon daemon, Shared.IRemoteLog log) => daemon.Register<Shared.IRemoteLog>(log, "log");
            }
            """).AddReferences(library.ToMetadataReference());
        GeneratorHarness.Driver(Enabled).RunGeneratorsAndUpdateCompilation(server, out var output, out _);
        var source = output.SyntaxTrees.Single(t => t.FilePath.EndsWith(ExposureText.HintName, StringComparison.Ordinal)).GetText().ToString();
        using var manifest = JsonDocument.Parse(ExposureText.Extract(source, "Json"));

        var contract = Assert.Single(manifest.RootElement.GetProperty("contracts").EnumerateArray());
        Assert.Equal("Shared.IRemoteLog", contract.GetProperty("interface").GetString());
        Assert.True(contract.GetProperty("external").GetBoolean());
        Assert.Equal(["Flush", "Write"], contract.GetProperty("methods").EnumerateArray().Select(m => m.GetProperty("wireName").GetString()).Order());
        Assert.Equal(["Count"], contract.GetProperty("attributes").EnumerateArray().Select(a => a.GetProperty("wireName").GetString()));
        Assert.Equal("contract", Assert.Single(manifest.RootElement.GetProperty("registrations").EnumerateArray()).GetProperty("serves").GetString());
    }

    [Fact]
    public void Hosting_AddObject_registrations_are_listed()
    {
        // The hosting package's builder, declared as TypedPyro.Hosting declares it (this test project does not reference
        // that package): the parser knows the method by its containing type and name.
        var generated = GeneratorHarness.RunWith(Enabled, GeneratorHarness.Case("Warehouse.cs"), """
            using TypedPyro;
            namespace TypedPyro.Hosting
            {
                public interface IPyroDaemonBuilder
                {
                    IPyroDaemonBuilder AddObject<TContract, TImplementation>(string objectId, PyroInstanceMode mode = PyroInstanceMode.Single, bool registerWithNameServer = true)
                        where TContract : class
                        where TImplementation : class, TContract;
                }
            }
            public static class Startup
            {
                public static void Configure(TypedPyro.Hosting.IPyroDaemonBuilder builder)
                    => builder.AddObject<Example.IWarehouse, Warehouse>("example.warehouse", PyroInstanceMode.PerCall);
            }
            public abstract class Warehouse : Example.IWarehouse
            {
                public abstract int GetStock(string item);
                public abstract void Store(string name, string item);
                public abstract string Take(string name, string item);
                public abstract System.Collections.Generic.IReadOnlyList<string> List(string? prefix = null, int limit = 10);
                public abstract string Name { get; }
                public abstract int Capacity { get; set; }
            }
            """);
        using var manifest = JsonDocument.Parse(ExposureText.Extract(generated.Sources[ExposureText.HintName], "Json"));
        var registration = AssertTheWarehouseRegistration(manifest, "IPyroDaemonBuilder.AddObject");
        Assert.Equal("PerCall", registration.GetProperty("instanceMode").GetString());
    }

    [Fact]
    public void A_registration_through_a_conditional_access_is_listed()
    {
        // daemon?.Register(...): the call's expression is a member binding, not a member access.
        var generated = GeneratorHarness.RunWith(Enabled, GeneratorHarness.Case("Warehouse.cs"), """
            using TypedPyro;
            public static class Startup
            {
                public static void Serve(PyroDaemon? daemon, Example.IWarehouse warehouse)
                    => daemon?.Register<Example.IWarehouse>(warehouse, "example.warehouse");
            }
            """);
        using var manifest = JsonDocument.Parse(ExposureText.Extract(generated.Sources[ExposureText.HintName], "Json"));
        AssertTheWarehouseRegistration(manifest, "PyroDaemon.Register");
    }

    /// <summary>The manifest's one registration: <paramref name="call"/> serving IWarehouse as "example.warehouse".</summary>
    private static JsonElement AssertTheWarehouseRegistration(JsonDocument manifest, string call)
    {
        var registration = Assert.Single(manifest.RootElement.GetProperty("registrations").EnumerateArray());
        Assert.Equal(call, registration.GetProperty("call").GetString());
        Assert.Equal("Example.IWarehouse", registration.GetProperty("contract").GetString());
        Assert.Equal("example.warehouse", registration.GetProperty("objectId").GetString());
        Assert.Equal("contract", registration.GetProperty("serves").GetString());
        return registration;
    }

    private static HashSet<string> InventoryWireNames(Dictionary<string, JsonElement> contracts)
    {
        var contract = contracts["Example.Exposure.IInventory"];
        return contract.GetProperty("methods").EnumerateArray().Concat(contract.GetProperty("attributes").EnumerateArray())
            .Select(m => m.GetProperty("wireName").GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    private static PyroUri UriOf(PyroDaemon daemon, string objectId) => new(objectId, daemon.LocationUri.Host!, daemon.LocationUri.Port!.Value);

    private static JsonElement FindRegistration(List<JsonElement> registrations, string id)
    {
        var exact = registrations.Where(r => r.GetProperty("objectId").GetString() == id).ToList();
        if (exact.Count == 1) return exact[0];
        // Generated ids (obj_...) and computed ones match the registration of that kind whose contract serves it.
        string kind = id.StartsWith("obj_", StringComparison.Ordinal) ? "generated" : "computed";
        return Assert.Single(registrations, r => r.GetProperty("objectIdKind").GetString() == kind);
    }

    private static List<string> Sorted(IEnumerable<string> names) => names.Order(StringComparer.Ordinal).ToList();
}

/// <summary>The manifest's pipeline steps cache like the others, and stay out of the way when the property is off.</summary>
public sealed class ExposureIncrementalityTests
{
    private static readonly string[] Steps = [TrackingNames.ExposureSettings, TrackingNames.Registrations, TrackingNames.Exposure];

    private static (Microsoft.CodeAnalysis.GeneratorDriver Driver, Microsoft.CodeAnalysis.CSharp.CSharpCompilation Compilation) FirstRun(bool enabled)
    {
        var compilation = GeneratorHarness.Compilation(GeneratorHarness.Case("Exposure.cs"), GeneratorHarness.Case("Warehouse.cs"));
        var driver = GeneratorHarness.Driver(BuildProperties.Of(("PyroExposureManifest", enabled ? "true" : "false"))).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        foreach (var name in Steps) Assert.NotEmpty(result.TrackedSteps[name].SelectMany(s => s.Outputs));
        Assert.Equal(enabled, result.GeneratedSources.Any(s => s.HintName == ExposureText.HintName));
        return (driver, compilation);
    }

    private static Microsoft.CodeAnalysis.GeneratorRunResult Edit(Microsoft.CodeAnalysis.GeneratorDriver driver, Microsoft.CodeAnalysis.CSharp.CSharpCompilation compilation, string find, string replace)
    {
        var tree = compilation.SyntaxTrees.First(t => t.GetText().ToString().Contains(find, StringComparison.Ordinal));
        var edited = compilation.ReplaceSyntaxTree(tree, Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(
            tree.GetText().ToString().Replace(find, replace, StringComparison.Ordinal), GeneratorHarness.ParseOptions, path: tree.FilePath));
        return driver.RunGenerators(edited).GetRunResult().Results.Single();
    }

    private static Microsoft.CodeAnalysis.IncrementalStepRunReason ManifestReason(Microsoft.CodeAnalysis.GeneratorRunResult result)
        => result.TrackedSteps[TrackingNames.Exposure].SelectMany(s => s.Outputs).Single().Reason;

    [Fact]
    public void An_unrelated_edit_leaves_the_manifest_cached()
    {
        var (driver, compilation) = FirstRun(enabled: true);
        var edited = compilation.AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(
            "namespace Other; public class Unrelated { public int X { get; set; } }", GeneratorHarness.ParseOptions, path: "Unrelated.cs"));
        var second = driver.RunGenerators(edited).GetRunResult().Results.Single();
        Assert.True(ManifestReason(second) is Microsoft.CodeAnalysis.IncrementalStepRunReason.Cached or Microsoft.CodeAnalysis.IncrementalStepRunReason.Unchanged, ManifestReason(second).ToString());
    }

    [Fact]
    public void A_contract_edit_renews_the_manifest_when_on_and_leaves_it_alone_when_off()
    {
        var (on, onCompilation) = FirstRun(enabled: true);
        var renewed = Edit(on, onCompilation, "int GetStock(string item);", "int GetStock(string item);\n    int Count();");
        Assert.Equal(Microsoft.CodeAnalysis.IncrementalStepRunReason.Modified, ManifestReason(renewed));
        Assert.Contains("\"count\"", renewed.GeneratedSources.Single(s => s.HintName == ExposureText.HintName).SourceText.ToString());

        var (off, offCompilation) = FirstRun(enabled: false);
        var untouched = Edit(off, offCompilation, "int GetStock(string item);", "int GetStock(string item);\n    int Count();");
        Assert.Equal(Microsoft.CodeAnalysis.IncrementalStepRunReason.Unchanged, ManifestReason(untouched));
    }

    [Fact]
    public void A_registration_edit_renews_the_manifest()
    {
        var (driver, compilation) = FirstRun(enabled: true);
        var second = Edit(driver, compilation, "\"hand\"", "\"hand2\"");
        Assert.Contains("\"hand2\"", second.GeneratedSources.Single(s => s.HintName == ExposureText.HintName).SourceText.ToString());
    }

    [Fact]
    public void Manifest_models_hold_no_symbols_syntax_or_compilations()
    {
        var (driver, _) = FirstRun(enabled: true);
        var result = driver.GetRunResult().Results.Single();
        foreach (var name in Steps)
        {
            foreach (var (value, _) in result.TrackedSteps[name].SelectMany(s => s.Outputs))
                IncrementalityTests.AssertPlain(value, name, new HashSet<object>(ReferenceEqualityComparer.Instance));
        }
    }
}

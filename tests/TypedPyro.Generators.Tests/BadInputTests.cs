using Microsoft.CodeAnalysis;

namespace TypedPyro.Generators.Tests;

/// <summary>
/// The generator stays silent on bad input: no diagnostics, no exception, and the code it does emit compiles, the
/// refused member throwing <see cref="NotSupportedException"/> in the proxy and missing from the dispatcher.
/// </summary>
public sealed class BadInputTests
{
    private const string Usings = "using System; using System.Collections.Generic; using System.Threading; using System.Threading.Tasks; using TypedPyro;\n";

    [Theory]
    [InlineData("generic method", "T Echo<T>(T value);", "generic methods are not supported")]
    [InlineData("constrained generic method", "T? Find<T>() where T : class, IDisposable, new();", "generic methods are not supported")]
    [InlineData("ref parameter", "void Swap(ref int a);", "ref, out and in parameters are not supported")]
    [InlineData("out parameter", "bool TryGet(string key, out int value);", "ref, out and in parameters are not supported")]
    [InlineData("in parameter", "int Peek(in Guid id);", "ref, out and in parameters are not supported")]
    [InlineData("ref readonly parameter", "int Peek(ref readonly Guid id);", "ref, out and in parameters are not supported")]
    [InlineData("oneway with result", "[Oneway] int Count();", "a [Oneway] method must return void, Task or ValueTask")]
    [InlineData("oneway with async result", "[Oneway] Task<int> CountAsync();", "a [Oneway] method must return void, Task or ValueTask")]
    [InlineData("oneway iterator", "[Oneway] IEnumerable<int> Items();", "a [Oneway] method must return void, Task or ValueTask")]
    [InlineData("token not last", "Task RunAsync(CancellationToken token, int x);", "a CancellationToken must be the last parameter")]
    [InlineData("two tokens", "Task RunAsync(CancellationToken a, CancellationToken b);", "a CancellationToken must be the last parameter")]
    [InlineData("duplicate wire names", "void Put(int x); void Put(string x);", "duplicate wire name 'Put'")]
    [InlineData("async suffix collision", "void Load(); Task LoadAsync();", "duplicate wire name 'Load'")]
    [InlineData("method and property share a name", "[PyroName(\"size\")] int GetSize(); [PyroName(\"size\")] int Size { get; }", "duplicate wire name 'size'")]
    [InlineData("duplicate parameter wire names", "void Put([PyroName(\"x\")] int a, [PyroName(\"x\")] int b);", "duplicate parameter wire name 'x'")]
    [InlineData("private wire name", "[PyroName(\"_secret\")] void Secret();", "is private in Pyro")]
    [InlineData("empty wire name", "[PyroName(\"\")] void Nameless();", "an empty wire name")]
    [InlineData("unsupported parameter type", "void Run(Action callback);", "parameter 'callback' has an unsupported type")]
    [InlineData("unsupported result type", "System.IO.Stream Open();", "unsupported result type")]
    [InlineData("tuple result", "(int A, string B) Pair();", "unsupported result type")]
    [InlineData("multidimensional array", "int[,] Grid();", "unsupported result type")]
    [InlineData("unsupported property type", "Func<int> Factory { get; }", "unsupported property type")]
    [InlineData("ref return", "ref int Slot();", "ref returns are not supported")]
    [InlineData("ref property", "ref int Slot { get; }", "ref properties are not supported")]
    [InlineData("event", "event EventHandler? Changed;", "events are not supported")]
    [InlineData("indexer", "string this[int i, string j] { get; set; }", "indexers are not supported")]
    [InlineData("pointer", "unsafe int* Raw();", "unsupported result type")]
    public void Unsupported_member_is_skipped_and_the_rest_compiles(string shape, string member, string reason)
    {
        string source = Usings + "namespace Bad; [Expose] public interface IBad { int Fine(int x); " + member + " }";
        var generated = GeneratorHarness.Run(source);
        GeneratorHarness.AssertCompiles(generated.Output);

        string proxy = generated.Sources["Bad.IBad.PyroProxy.g.cs"];
        Assert.True(proxy.Contains("// skipped: ", StringComparison.Ordinal) && proxy.Contains(reason, StringComparison.Ordinal), shape + ":\n" + proxy);
        Assert.Contains("NotSupportedException", proxy);
        string dispatcher = generated.Sources["Bad.IBad.PyroDispatcher.g.cs"];
        Assert.Contains("new string[] { \"Fine\" }", dispatcher);
    }

    [Theory]
    [InlineData("open generic interface", "[Expose] public interface IRepo<T> { T Get(int id); }", "Bad.IRepo_1.PyroProxy.g.cs", "generic interfaces are not supported")]
    [InlineData("interface in a generic class", "public class Box<T> { [Expose] public interface IInner { int Get(); } }", "Bad.Box_1.IInner.PyroProxy.g.cs", "generic interfaces are not supported")]
    [InlineData("private nested interface", "public class Holder { [Expose] private interface IHidden { void Run(); } }", "Bad.Holder.IHidden.PyroProxy.g.cs", "not accessible")]
    [InlineData("protected nested interface", "public class Holder { [Expose] protected interface IHidden { void Run(); } }", "Bad.Holder.IHidden.PyroProxy.g.cs", "not accessible")]
    [InlineData("file-local interface", "[Expose] file interface ILocal { void Run(); }", null, "file-local interfaces are not supported")]
    [InlineData("non-partial DTO", "[PyroDto(\"bad.Dto\")] public class Dto { public int X { get; set; } }", "Bad.Dto.PyroDto.g.cs", "must be declared partial")]
    [InlineData("nested DTO", "public partial class Outer { [PyroDto(\"bad.Dto\")] public partial class Dto { } }", "Bad.Outer.Dto.PyroDto.g.cs", "nested [PyroDto] types are not supported")]
    [InlineData("generic DTO", "[PyroDto(\"bad.Dto\")] public partial class Dto<T> { }", "Bad.Dto_1.PyroDto.g.cs", "generic [PyroDto] types are not supported")]
    [InlineData("DTO without class name", "[PyroDto(\"\")] public partial class Dto { }", "Bad.Dto.PyroDto.g.cs", "needs a wire class name")]
    [InlineData("ref struct DTO", "[PyroDto(\"bad.Dto\")] public ref partial struct Dto { }", "Bad.Dto.PyroDto.g.cs", "a ref struct cannot be a [PyroDto]")]
    public void Unsupported_type_gets_a_comment_only(string shape, string declaration, string? hintName, string reason)
    {
        var generated = GeneratorHarness.Run(Usings + "namespace Bad;\n" + declaration);
        GeneratorHarness.AssertCompiles(generated.Output, userCodeClean: false);
        if (hintName is null)
        {
            Assert.All(generated.Sources.Values, s => Assert.DoesNotContain("class", s));
            Assert.Contains(generated.Sources.Values, s => s.Contains(reason, StringComparison.Ordinal));
            return;
        }
        Assert.True(generated.Sources.ContainsKey(hintName), shape + ": " + string.Join(", ", generated.Sources.Keys));
        Assert.Contains("// skipped: ", generated.Sources[hintName]);
        Assert.Contains(reason, generated.Sources[hintName]);
        Assert.Single(generated.Sources);
    }

    [Theory]
    [InlineData("a DTO whose constructor parameter matches no property", "public Dto(int hidden) => Shown = hidden; public int Shown { get; }", "matches no public property")]
    [InlineData("an abstract DTO", "public int X { get; set; }", "an abstract type cannot be constructed", "abstract ")]
    [InlineData("a DTO with several constructors", "public Dto(int x) { } public Dto(string y) { } public int X { get; set; }", "several public constructors")]
    [InlineData("a DTO without public constructor", "private Dto() { }", "no public constructor")]
    [InlineData("a required property of unsupported type", "public required Action Callback { get; init; }", "has an unsupported type")]
    public void Unreadable_dto_still_writes_and_its_reader_throws(string shape, string body, string reason, string modifiers = "")
    {
        var generated = GeneratorHarness.Run(Usings + "namespace Bad; [PyroDto(\"bad.Dto\")] public " + modifiers + "partial class Dto { " + body + " }");
        GeneratorHarness.AssertCompiles(generated.Output);
        string dto = generated.Sources["Bad.Dto.PyroDto.g.cs"];
        Assert.True(dto.Contains(reason, StringComparison.Ordinal) && dto.Contains("throw new global::System.NotSupportedException", StringComparison.Ordinal), shape + ":\n" + dto);
        Assert.Contains("IPyroWireValue.ToWireValue()", dto);
    }

    [Theory]
    [InlineData("syntax error in a member", "[Expose] public interface IBroken { int Get(; void Put(int x) }")]
    [InlineData("missing parameter type", "[Expose] public interface IBroken { void Put(Missing x); int Get(); }")]
    [InlineData("missing result type", "[Expose] public interface IBroken { Missing Get(); }")]
    [InlineData("missing base interface", "[Expose] public interface IBroken : IMissing { int Get(); }")]
    [InlineData("missing DTO property type", "[PyroDto(\"bad.Dto\")] public partial record Dto(Missing Value);")]
    [InlineData("unfinished attribute", "[Expose( public interface IBroken { int Get(); }")]
    [InlineData("unfinished interface", "[Expose] public interface IBroken { int Get(")]
    [InlineData("attribute on a class", "[Expose] public class NotAnInterface { public int Get() => 1; }")]
    [InlineData("PyroName with a non-constant", "[Expose] public interface IBroken { [PyroName(nameof(Missing))] int Get(); }")]
    [InlineData("[Expose] on two partial declarations", "[Expose] public partial interface IBroken { int A(); } [Expose] public partial interface IBroken { int B(); }")]
    [InlineData("[PyroDto] on two partial declarations", "[PyroDto(\"bad.Dto\")] public partial class Dto { } [PyroDto(\"bad.Dto\")] public partial class Dto { }")]
    [InlineData("PyroNaming with an unknown policy", "[Expose, PyroNaming((PyroNamingPolicy)42)] public interface IBroken { int GetIt(); }")]
    public void Broken_user_code_does_not_crash_the_generator(string shape, string declaration)
    {
        var input = GeneratorHarness.Compilation(Usings + "namespace Bad;\n" + declaration);
        var driver = GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(input, out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        Assert.Empty(diagnostics);
        Assert.DoesNotContain(output.GetDiagnostics(), d => d.Id == "CS8785"); // "generator failed"
        // Generated code adds no errors of its own beyond the user's missing types.
        var generatedErrors = output.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)
            .Where(d => !d.GetMessage().Contains("Missing", StringComparison.Ordinal) && !d.GetMessage().Contains("IMissing", StringComparison.Ordinal))
            .ToList();
        Assert.True(generatedErrors.Count == 0, shape + ":\n" + string.Join("\n", generatedErrors));
    }

    [Theory]
    [InlineData("internal int Hidden();")]
    [InlineData("protected int Hidden();")]
    [InlineData("private protected int Hidden { get; }")]
    [InlineData("protected internal int Hidden(int x);")]
    public void Non_public_members_are_implemented_but_not_remote(string member)
    {
        var generated = GeneratorHarness.Run(Usings + "namespace Bad; [Expose] public interface IBad { int Fine(int x); " + member + " }");
        GeneratorHarness.AssertCompiles(generated.Output);
        Assert.Contains("throw NotRemote(\"IBad.Hidden\")", generated.Sources["Bad.IBad.PyroProxy.g.cs"]);
        Assert.Contains("new string[] { \"Fine\" }", generated.Sources["Bad.IBad.PyroDispatcher.g.cs"]);
        Assert.DoesNotContain("Hidden", generated.Sources["Bad.IBad.PyroDispatcher.g.cs"]);
    }

    [Fact]
    public void Partial_interface_with_exposed_members_in_two_parts_is_one_contract()
    {
        var generated = GeneratorHarness.Run(
            Usings + "namespace Parts; public partial interface ISplit { [Expose] int A(); string Local(); }",
            Usings + "namespace Parts; public partial interface ISplit { [Expose] int B(); }");
        GeneratorHarness.AssertCompiles(generated.Output);
        Assert.Equal(
            ["Parts.ISplit.PyroDispatcher.g.cs", "Parts.ISplit.PyroProxy.g.cs", "Parts.ISplit.PyroRegistration.g.cs"],
            generated.Sources.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("new string[] { \"A\", \"B\" }", generated.Sources["Parts.ISplit.PyroDispatcher.g.cs"]);
    }

    [Fact]
    public void Exposed_interface_with_exposed_members_is_generated_once()
    {
        var generated = GeneratorHarness.Run(Usings + "namespace Once; [Expose] public interface IBoth { [Expose] int A(); [Expose] int B { get; } }");
        GeneratorHarness.AssertCompiles(generated.Output);
        Assert.Equal(3, generated.Sources.Count);
    }

    [Fact]
    public void Redeclared_member_with_the_same_signature_is_one_remote_member()
    {
        var generated = GeneratorHarness.Run(Usings + """
            namespace Hiding;
            public interface IBase { string Name { get; } int Get(int x); }
            [Expose] public interface IDerived : IBase { new string Name { get; } new int Get(int x); }
            """);
        GeneratorHarness.AssertCompiles(generated.Output);
        string proxy = generated.Sources["Hiding.IDerived.PyroProxy.g.cs"];
        Assert.DoesNotContain("skipped", proxy);
        Assert.Equal(2, proxy.Split("GetAttribute<string>(\"Name\"").Length - 1);
        string dispatcher = generated.Sources["Hiding.IDerived.PyroDispatcher.g.cs"];
        Assert.Contains("new string[] { \"Get\" }", dispatcher);
        Assert.Single(dispatcher.Split("case \"Get\":").Skip(1));
    }
}

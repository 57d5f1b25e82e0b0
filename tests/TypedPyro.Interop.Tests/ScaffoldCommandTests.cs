using TypedPyro.Cli.Commands;
using TypedPyro.Interop.Tests.Support;

namespace TypedPyro.Interop.Tests;

/// <summary>
/// <c>typedpyro scaffold</c> against our own daemon (the .NET twin of the echo server): the metadata of a .NET object
/// scaffolds as a Python one does; bad samples are one line each. (Compiled and called: TypedPyro.Generators.Tests.)
/// </summary>
public sealed class ScaffoldCommandTests(DotNetEchoDaemonFixture echo) : IClassFixture<DotNetEchoDaemonFixture>
{
    private readonly string _uri = echo.Uri;

    private async Task<(int Code, string Stdout, string Stderr)> Scaffold(params string[] samples)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await ScaffoldCommand.RunAsync(new ScaffoldRequest(_uri, "Dotnet.Echo", null, samples), null, new PyroConfig(), null, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Our_daemons_metadata_scaffolds_like_pythons()
    {
        var (code, contract, stderr) = await Scaffold("echo([1, 2.5])", "verbose");
        Assert.True(code == 0, stderr);
        Assert.Contains("namespace Dotnet.Echo;", contract);
        Assert.Contains("public interface IEchoserver", contract);
        Assert.Contains("    System.Collections.Generic.List<double> Echo(System.Collections.Generic.List<double> arg1);", contract);
        Assert.Contains("    bool Verbose { get; set; }", contract);
        Assert.Contains("    [Oneway]\n    void OnewaySlow();", contract.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_sample_that_raises_or_names_nothing_is_one_line()
    {
        var (code, stdout, stderr) = await Scaffold("error()");
        Assert.Equal(ScaffoldCommand.RemoteError, code);
        Assert.Equal("", stdout);
        Assert.Equal("error: a sample call raised builtins.ValueError: expected error from echoserver error() method", stderr.Trim());
        (code, _, stderr) = await Scaffold("no_such_method()");
        Assert.Equal(ScaffoldCommand.UsageError, code);
        Assert.Equal("error: --sample no_such_method(): the object has no method or attribute 'no_such_method'", stderr.Trim());
        (code, _, stderr) = await Scaffold("echo(1 +)");
        Assert.Equal(ScaffoldCommand.UsageError, code);
        Assert.StartsWith("error: --sample echo(1 +): the arguments are not Python literals", stderr.Trim());
    }

    [Theory]
    [InlineData("Good.Name", "1Bad", "error: --name 1Bad: not a C# identifier")]
    [InlineData("bad..name", null, "error: --namespace bad..name: not a C# namespace name")]
    [InlineData("class", null, "error: --namespace class: not a C# namespace name")]
    public async Task Names_that_are_not_csharp_are_usage_errors(string ns, string? name, string expected)
    {
        var stderr = new StringWriter();
        int code = await ScaffoldCommand.RunAsync(new ScaffoldRequest(_uri, ns, name, []), null, new PyroConfig(), null, TextWriter.Null, stderr, CancellationToken.None);
        Assert.Equal(ScaffoldCommand.UsageError, code);
        Assert.Equal(expected, stderr.ToString().Trim());
    }
}

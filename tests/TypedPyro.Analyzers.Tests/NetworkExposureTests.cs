using TypedPyro.Analyzers.CodeFixes;
using Xunit;
using V = TypedPyro.Analyzers.Tests.Verify;

namespace TypedPyro.Analyzers.Tests;

public class NetworkExposureTests
{
    private static Task Run(string source) => V.Analyzer<NetworkExposureAnalyzer>(source);

    [Fact]
    public Task Reachable_hosts_without_tls_or_hmac_fire() => Run("""
        class C
        {
            const string Everywhere = "0.0.0.0";
            PyroDaemonOptions A() => new() { Host = {|TPY5004:"0.0.0.0"|} };
            PyroDaemonOptions B() => new PyroDaemonOptions { Host = {|TPY5004:""|}, Port = 9999 };
            PyroDaemonOptions D() => new() { Port = 1, Host = {|TPY5004:"::"|} };
            PyroDaemonOptions E() => new() { Host = {|TPY5004:"server.example.com"|} };
            PyroDaemonOptions F() => new() { Host = {|TPY5004:"192.168.1.20"|} };
            PyroDaemonOptions G() => new() { Host = {|TPY5004:Everywhere|} };
        }
        """);

    [Fact]
    public Task Loopback_and_protected_daemons_are_quiet() => Run("""
        class C
        {
            byte[] Key() => System.Text.Encoding.UTF8.GetBytes(System.Environment.GetEnvironmentVariable("PYRO_HMAC_KEY")!);
            PyroDaemonOptions A() => new() { Host = "localhost" };
            PyroDaemonOptions B() => new() { Host = "127.0.0.1" };
            PyroDaemonOptions D() => new() { Host = "127.0.1.1" };
            PyroDaemonOptions E() => new() { Host = "::1" };
            PyroDaemonOptions F() => new() { Host = "[::1]" };
            PyroDaemonOptions G() => new() { Host = "LOCALHOST" };
            PyroDaemonOptions H() => new() { Port = 9090 };
            PyroDaemonOptions I() => new();
            PyroDaemonOptions J() => new() { Host = "0.0.0.0", Tls = new PyroTlsOptions() };
            PyroDaemonOptions K() => new() { Host = "0.0.0.0", HmacKey = Key() };
            PyroDaemonOptions L(PyroConfig config) => new() { Host = "0.0.0.0", Config = config };
            PyroDaemonOptions M(string host) => new() { Host = host };
            PyroDaemonOptions N() => new() { Host = System.Environment.GetEnvironmentVariable("HOST") };
        }
        """);

    [Fact]
    public Task Message_names_the_host() => V.Analyzer<NetworkExposureAnalyzer>("""
        class C { PyroDaemonOptions A() => new() { Host = {|#0:"10.0.0.5"|} }; }
        """, V.Diagnostic(Descriptors.UnprotectedNetworkDaemon).WithLocation(0).WithArguments("10.0.0.5"));

    [Fact]
    public Task Fix_binds_to_localhost() => V.CodeFix<NetworkExposureAnalyzer, LoopbackHostCodeFixProvider>("""
        class C
        {
            PyroDaemonOptions A() => new() { Host = {|TPY5004:"0.0.0.0"|}, Port = 9999 };
        }
        """, """
        class C
        {
            PyroDaemonOptions A() => new() { Host = "localhost", Port = 9999 };
        }
        """);
}

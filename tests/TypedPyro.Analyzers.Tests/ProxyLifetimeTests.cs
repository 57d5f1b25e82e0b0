using Microsoft.CodeAnalysis.Testing;
using Xunit;
using V = TypedPyro.Analyzers.Tests.Verify;

namespace TypedPyro.Analyzers.Tests;

public class ProxyLifetimeTests
{
    private static Task Run(string source, params DiagnosticResult[] expected) => V.Analyzer<ProxyLifetimeAnalyzer>(source, expected);

    [Fact]
    public Task NeverReleased_Fires() => Run("""
        [Expose] public interface ICalc { int Add(int a, int b); }
        class C
        {
            async Task<object?> A(string uri)
            {
                var proxy = {|#0:new PyroProxy(uri)|};
                proxy.Timeout = TimeSpan.FromSeconds(1);
                return await proxy.InvokeAsync("ping");
            }
            int B()
            {
                var calc = {|#1:Pyro.Proxy<ICalc>("PYRONAME:calc")|};
                return calc.Add(1, 2);
            }
            void D()
            {
                PyroProxy p;
                p = {|#2:new PyroProxy(PyroUri.Parse("PYRO:x@h:1"))|};
                p.Invoke("x");
            }
            void E(string uri) { var unused = {|#3:new PyroProxy(uri)|}; }
        }
        """,
        V.Diagnostic(Descriptors.ProxyNotReleased).WithLocation(0).WithArguments("proxy"),
        V.Diagnostic(Descriptors.ProxyNotReleased).WithLocation(1).WithArguments("calc"),
        V.Diagnostic(Descriptors.ProxyNotReleased).WithLocation(2).WithArguments("p"),
        V.Diagnostic(Descriptors.ProxyNotReleased).WithLocation(3).WithArguments("unused"));

    [Fact]
    public Task ReleasedOrHandedOver_Quiet() => Run("""
        [Expose] public interface ICalc { int Add(int a, int b); }
        class C
        {
            private PyroProxy? _field;
            private List<PyroProxy> _all = new();
            PyroProxy? Prop { get; set; }
            async Task A(string uri)
            {
                using var a = new PyroProxy(uri);
                await using var b = new PyroProxy(uri);
                using (var c = new PyroProxy(uri)) { c.Invoke("x"); }
                var d = new PyroProxy(uri);
                d.Dispose();
                var e = new PyroProxy(uri);
                await e.DisposeAsync();
                var f = new PyroProxy(uri);
                f.Release();
                var g = new PyroProxy(uri);
                g?.Dispose();
                var h = new PyroProxy(uri);
                _field = h;
                var i = new PyroProxy(uri);
                Prop = i;
                var j = new PyroProxy(uri);
                _all.Add(j);
                var k = Pyro.Proxy<ICalc>(uri);
                ((IDisposable)k).Dispose();
                var l = Pyro.Proxy<ICalc>(uri);
                (l as IDisposable)?.Dispose();
                var m = new PyroProxy(uri);
                using (m) { }
            }
            PyroProxy Returned(string uri)
            {
                var p = new PyroProxy(uri);
                p.Timeout = TimeSpan.Zero;
                return p;
            }
            Func<PyroProxy> Lambda(string uri)
            {
                var p = new PyroProxy(uri);
                return () => p;
            }
            PyroProxy Direct(string uri) => new PyroProxy(uri);
        }
        """);
}

using Microsoft.CodeAnalysis.Testing;
using Xunit;
using V = TypedPyro.Analyzers.Tests.Verify;

namespace TypedPyro.Analyzers.Tests;

public class CallCycleTests
{
    private static Task Run(string source, params DiagnosticResult[] expected) => V.Analyzer<CallCycleAnalyzer>(source, expected);

    [Fact]
    public Task TwoContractsCallingEachOther_Fires() => Run("""
        [Expose] public interface IServer { List<string> Process(List<string> message); }
        [Expose] public interface IClient { List<string> Bounce(List<string> message); }
        class Server(IClient client) : IServer
        {
            public List<string> Process(List<string> message) => {|#0:client.Bounce(message)|};
        }
        class Client(IServer server) : IClient
        {
            public List<string> Bounce(List<string> message) => {|#1:server.Process(message)|};
        }
        """,
        V.Diagnostic(Descriptors.CircularCalls).WithLocation(1).WithLocation(0).WithArguments("IClient -> IServer -> IClient"));

    [Fact]
    public Task CallbackParameter_IsAnEdge() => Run("""
        [Expose] public interface IServer { void Register(IClient callback); string Work(string item); }
        [Expose] public interface IClient { string Progress(string item); }
        class Server : IServer
        {
            public void Register(IClient callback) { }
            public string Work(string item) => item;
            public string WorkWith(IClient callback, string item) => {|#0:callback.Progress(item)|};
        }
        class Client(IServer server) : IClient
        {
            public string Progress(string item) => {|#1:server.Work(item)|};
        }
        """,
        V.Diagnostic(Descriptors.CircularCalls).WithLocation(1).WithLocation(0).WithArguments("IClient -> IServer -> IClient"));

    [Fact]
    public Task SelfLoop_ChainOfOneContract_Fires() => Run("""
        [Expose] public interface IChain { List<string> Process(List<string> message); }
        class Chain(string name, IChain next) : IChain
        {
            public List<string> Process(List<string> message)
            {
                if (message.Contains(name)) return ["complete at " + name];
                message.Add(name);
                return {|#0:next.Process(message)|};
            }
        }
        """,
        V.Diagnostic(Descriptors.CircularCalls).WithLocation(0).WithArguments("IChain -> IChain"));

    [Fact]
    public Task ThreeContracts_PropertyAccessCounts() => Run("""
        [Expose] public interface IA { void Go(); }
        [Expose] public interface IB { int Level { get; } }
        public interface IC { [Expose] void Go(); void Local(); }
        class A(IB b) : IA { public void Go() { _ = {|#0:b.Level|}; } }
        class B(IC c) : IB { public int Level { get { {|#1:c.Go()|}; return 1; } } }
        class C(IA a) : IC { public void Go() => {|#2:a.Go()|}; public void Local() { } }
        """,
        V.Diagnostic(Descriptors.CircularCalls).WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("IA -> IB -> IC -> IA"));

    [Fact]
    public Task OnewayLink_BreaksTheCycle() => Run("""
        [Expose] public interface IServer { List<string> Process(List<string> message); }
        [Expose] public interface IClient { [Oneway] void Bounce(List<string> message); }
        class Server(IClient client) : IServer
        {
            public List<string> Process(List<string> message) { client.Bounce(message); return message; }
        }
        class Client(IServer server) : IClient
        {
            public void Bounce(List<string> message) => server.Process(message);
        }
        """);

    [Fact]
    public Task MixedLink_IsNotOneway() => Run("""
        [Expose] public interface IServer { void Process(string message); }
        [Expose] public interface IClient { [Oneway] void Notify(string message); string Ask(string question); }
        class Server(IClient client) : IServer
        {
            public void Process(string message) { client.Notify(message); {|#0:client.Ask(message)|}; }
        }
        class Client(IServer server) : IClient
        {
            public void Notify(string message) => {|#1:server.Process(message)|};
            public string Ask(string question) => question;
        }
        """,
        V.Diagnostic(Descriptors.CircularCalls).WithLocation(1).WithLocation(0).WithArguments("IClient -> IServer -> IClient"));

    [Fact]
    public Task NoCycle_Quiet() => Run("""
        [Expose] public interface IServer { string Work(string item); }
        [Expose] public interface IStore { void Save(string item); }
        public interface ILocal { string Get(); }
        class Server(IStore store, ILocal local) : IServer
        {
            public string Work(string item) { store.Save(item); return local.Get() + this.Describe() + ((IServer)this).Work(""); }
            string Describe() => "";
        }
        class Store : IStore { public void Save(string item) { } }
        class Client
        {
            // Not serving any contract: calls from here start conversations but close no circle.
            string Run(IServer server) => server.Work("x");
        }
        """);
}

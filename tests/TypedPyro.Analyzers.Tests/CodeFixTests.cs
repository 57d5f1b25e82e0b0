using Microsoft.CodeAnalysis.Testing;
using TypedPyro.Analyzers.CodeFixes;
using Xunit;
using V = TypedPyro.Analyzers.Tests.Verify;

namespace TypedPyro.Analyzers.Tests;

public class ExposeInterfaceFixTests
{
    [Fact]
    public Task MovesExposeToTheImplementedInterface() => V.CodeFix<ContractAnalyzer, ExposeInterfaceCodeFixProvider>("""
        namespace Shop
        {
            /// <summary>The warehouse.</summary>
            public interface IWarehouse
            {
                void Store(string item);
            }

            /// <summary>Implementation.</summary>
            [{|TPY1001:Expose|}]
            public class Warehouse : IWarehouse
            {
                public void Store(string item) { }
            }
        }
        """, """
        namespace Shop
        {
            /// <summary>The warehouse.</summary>
            [Expose]
            public interface IWarehouse
            {
                void Store(string item);
            }

            /// <summary>Implementation.</summary>
            public class Warehouse : IWarehouse
            {
                public void Store(string item) { }
            }
        }
        """, "TPY1001.Move.IWarehouse");

    [Fact]
    public Task ChoosesAmongSeveralInterfaces() => V.CodeFix<ContractAnalyzer, ExposeInterfaceCodeFixProvider>("""
        public interface IAdmin { void Reset(); }
        public interface IWarehouse { void Store(string item); }
        [Serializable, {|TPY1001:Expose|}]
        public class Warehouse : IAdmin, IWarehouse
        {
            public void Reset() { }
            public void Store(string item) { }
        }
        """, """
        public interface IAdmin { void Reset(); }
        [Expose]
        public interface IWarehouse { void Store(string item); }
        [Serializable]
        public class Warehouse : IAdmin, IWarehouse
        {
            public void Reset() { }
            public void Store(string item) { }
        }
        """, "TPY1001.Move.IWarehouse");

    [Fact]
    public Task RemovesWhenAlreadyExposedThroughAnInterface() => V.CodeFix<ContractAnalyzer, ExposeInterfaceCodeFixProvider>("""
        [Expose]
        public interface IWarehouse { void Store(string item); }
        [{|TPY1001:Expose|}]
        public class Warehouse : IWarehouse { public void Store(string item) { } }
        """, """
        [Expose]
        public interface IWarehouse { void Store(string item); }
        public class Warehouse : IWarehouse { public void Store(string item) { } }
        """, "TPY1001.Remove");

    [Fact]
    public Task ExtractsAnInterfaceOfThePublicMembers() => V.CodeFix<ContractAnalyzer, ExposeInterfaceCodeFixProvider>("""
        namespace Shop
        {
            [{|TPY1001:Expose|}]
            public class Warehouse
            {
                public int Count { get; set; }
                public void Store(string item, int amount = 1) { }
                public Task<List<string>> ListAsync(CancellationToken token) => Task.FromResult(new List<string>());
                internal void Local() { }
                public static void Helper() { }
            }
        }
        """, """
        namespace Shop
        {
            [Expose]
            public interface IWarehouse
            {
                int Count { get; set; }

                void Store(string item, int amount = 1);
                Task<List<string>> ListAsync(CancellationToken token);
            }

            public class Warehouse : IWarehouse
            {
                public int Count { get; set; }
                public void Store(string item, int amount = 1) { }
                public Task<List<string>> ListAsync(CancellationToken token) => Task.FromResult(new List<string>());
                internal void Local() { }
                public static void Helper() { }
            }
        }
        """, "TPY1001.Extract");
}

public class UsingProxyFixTests
{
    [Fact]
    public Task AddsUsing() => V.CodeFix<ProxyLifetimeAnalyzer, UsingProxyCodeFixProvider>("""
        class C
        {
            object? M(string uri)
            {
                // the proxy
                var proxy = {|TPY6001:new PyroProxy(uri)|};
                return proxy.Invoke("ping");
            }
        }
        """, """
        class C
        {
            object? M(string uri)
            {
                // the proxy
                using var proxy = new PyroProxy(uri);
                return proxy.Invoke("ping");
            }
        }
        """, "TPY6001.Using");

    [Fact]
    public Task AddsAwaitUsingInAsyncMethods() => V.CodeFix<ProxyLifetimeAnalyzer, UsingProxyCodeFixProvider>("""
        class C
        {
            async Task<object?> M(string uri)
            {
                PyroProxy proxy = {|TPY6001:new PyroProxy(uri)|};
                return await proxy.InvokeAsync("ping");
            }
        }
        """, """
        class C
        {
            async Task<object?> M(string uri)
            {
                await using PyroProxy proxy = new PyroProxy(uri);
                return await proxy.InvokeAsync("ping");
            }
        }
        """, "TPY6001.AwaitUsing");
}

public class OnewayFixTests
{
    [Fact]
    public Task MarksTheCalledMethodOneway() => V.CodeFix<CallCycleAnalyzer, OnewayCodeFixProvider>("""
        [Expose]
        public interface IServer
        {
            List<string> Process(List<string> message);
        }

        [Expose]
        public interface IClient
        {
            /// <summary>Bounces.</summary>
            void Bounce(List<string> message);
        }

        class Server(IClient client) : IServer
        {
            public List<string> Process(List<string> message) { client.Bounce(message); return message; }
        }

        class Client(IServer server) : IClient
        {
            public void Bounce(List<string> message) => {|TPY4001:server.Process(message)|};
        }
        """, """
        [Expose]
        public interface IServer
        {
            List<string> Process(List<string> message);
        }

        [Expose]
        public interface IClient
        {
            /// <summary>Bounces.</summary>
            [Oneway]
            void Bounce(List<string> message);
        }

        class Server(IClient client) : IServer
        {
            public List<string> Process(List<string> message) { client.Bounce(message); return message; }
        }

        class Client(IServer server) : IClient
        {
            public void Bounce(List<string> message) => server.Process(message);
        }
        """, "TPY4001.Oneway.M:IClient.Bounce(System.Collections.Generic.List{System.String})", CodeFixTestBehaviors.SkipLocalDiagnosticCheck);

    [Fact]
    public Task OffersNoFixWhenEveryLinkHasAResult() => V.CodeFix<CallCycleAnalyzer, OnewayCodeFixProvider>("""
        [Expose] public interface IChain { string Process(string message); }
        class Chain(IChain next) : IChain { public string Process(string message) => {|TPY4001:next.Process(message)|}; }
        """, """
        [Expose] public interface IChain { string Process(string message); }
        class Chain(IChain next) : IChain { public string Process(string message) => {|TPY4001:next.Process(message)|}; }
        """, null, CodeFixTestBehaviors.SkipLocalDiagnosticCheck);
}

public class SecurityFixTests
{
    [Fact]
    public Task HmacKeyFromEnvironment() => V.CodeFix<HmacKeyAnalyzer, HmacKeyCodeFixProvider>("""
        using System.Text;
        class C
        {
            PyroDaemonOptions Options() => new() { Host = "localhost", HmacKey = {|TPY5003:Encoding.UTF8.GetBytes("secret")|} };
        }
        """, """
        using System.Text;
        class C
        {
            PyroDaemonOptions Options() => new() { Host = "localhost", HmacKey = Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable("PYRO_HMAC_KEY") ?? throw new InvalidOperationException("PYRO_HMAC_KEY is not set")) };
        }
        """);

    [Fact]
    public Task SerializerBecomesSerpent() => V.CodeFix<SerializerAnalyzer, SerializerCodeFixProvider>("""
        class C
        {
            void M(PyroConfig config)
            {
                config.Serializer = {|TPY5001:"pickle"|};
                var options = new PyroProxyOptions { Serializer = {|TPY5002:SerializerId.Marshal|} };
                var cast = {|TPY5001:(SerializerId)4|};
            }
        }
        """, """
        class C
        {
            void M(PyroConfig config)
            {
                config.Serializer = "serpent";
                var options = new PyroProxyOptions { Serializer = SerializerId.Serpent };
                var cast = SerializerId.Serpent;
            }
        }
        """);
}

using Microsoft.CodeAnalysis.Testing;
using Xunit;
using V = TypedPyro.Analyzers.Tests.Verify;

namespace TypedPyro.Analyzers.Tests;

public class SerializerTests
{
    private static Task Run(string source, params DiagnosticResult[] expected) => V.Analyzer<SerializerAnalyzer>(source, expected);

    [Fact]
    public Task EnumMembers_Fire() => Run("""
        class C
        {
            PyroProxyOptions A() => new() { Serializer = {|TPY5001:SerializerId.Pickle|} };
            PyroProxyOptions B() => new() { Serializer = {|TPY5001:TypedPyro.Serialization.SerializerId.Dill|} };
            SerializerId D() => {|TPY5001:SerializerId.CloudPickle|};
            PyroProxyOptions E() => new() { Serializer = {|TPY5002:SerializerId.Marshal|} };
        }
        """);

    [Fact]
    public Task EnumMember_Message() => Run("""
        class C { SerializerId D() => {|#0:SerializerId.CloudPickle|}; }
        """, V.Diagnostic(Descriptors.InsecureSerializer).WithLocation(0).WithArguments("cloudpickle"));

    [Fact]
    public Task NumericCasts_Fire() => Run("""
        class C
        {
            SerializerId A() => {|TPY5001:(SerializerId)4|};
            SerializerId? B() => {|TPY5001:(SerializerId?)5|};
            PyroProxyOptions D() => new() { Serializer = {|TPY5001:(SerializerId)7|} };
            SerializerId E() => {|TPY5002:(SerializerId)3|};
            const ushort Pickle = 4;
            SerializerId F() => {|TPY5001:(SerializerId)Pickle|};
        }
        """);

    [Fact]
    public Task Strings_Fire() => Run("""
        class C
        {
            const string Name = "dill";
            void M(PyroConfig config)
            {
                config.Serializer = {|TPY5001:"pickle"|};
                config.Serializer = {|TPY5001:Name|};
                config.Serializer = {|TPY5002:"marshal"|};
                config.SerializersAccepted.Add({|TPY5001:"cloudpickle"|});
                config.SerializersAccepted = new HashSet<string> { "serpent", {|TPY5001:"pickle"|} };
                config.SerializersAccepted.UnionWith(new[] { "json", {|TPY5001:"dill"|} });
                PyroSerializers.ForName({|TPY5001:"Pickle"|});
                var other = new PyroConfig { Serializer = {|TPY5001:"dill"|}, SerializersAccepted = { {|TPY5002:"marshal"|}, "json" } };
            }
        }
        """);

    [Fact]
    public Task SafeSerializersAndChecks_Quiet() => Run("""
        class C
        {
            void M(PyroConfig config, SerializerId id, string text)
            {
                config.Serializer = "serpent";
                config.SerializersAccepted.Add("json");
                config.SerializersAccepted.Add(text);
                PyroSerializers.ForName("msgpack");
                var options = new PyroProxyOptions { Serializer = SerializerId.Json };
                var cast = (SerializerId)2;
                if (id == SerializerId.Pickle || id != SerializerId.Dill) throw new InvalidOperationException();
                if (id is SerializerId.CloudPickle or SerializerId.Marshal) throw new InvalidOperationException();
                switch (id) { case SerializerId.Pickle: break; }
                var refused = id switch { SerializerId.Pickle => "no", _ => "yes" };
                var name = nameof(SerializerId.Pickle);
                var unrelated = "pickle";
                Console.WriteLine(unrelated);
            }
        }
        """);
}

public class HmacKeyTests
{
    private static Task Run(string source, params DiagnosticResult[] expected) => V.Analyzer<HmacKeyAnalyzer>(source, expected);

    [Fact]
    public Task LiteralKeys_Fire() => Run("""
        using System.Text;
        class C
        {
            void M()
            {
                var a = new PyroProxyOptions { HmacKey = {|TPY5003:Encoding.UTF8.GetBytes("secret")|} };
                var b = new PyroDaemonOptions { HmacKey = {|TPY5003:"secret"u8.ToArray()|} };
                var c = new PyroProxyOptions { HmacKey = {|TPY5003:new byte[] { 1, 2, 3 }|} };
                var d = new PyroProxyOptions { HmacKey = {|TPY5003:[1, 2, 3]|} };
                var e = new PyroDaemonOptions { HmacKey = {|TPY5003:Encoding.ASCII.GetBytes("s" + "ecret")|} };
                var f = new PyroProxyOptions { HmacKey = {|TPY5003:Convert.FromBase64String("c2VjcmV0")|} };
                Security.UseKey({|TPY5003:Encoding.UTF8.GetBytes("secret")|});
                var key = Encoding.UTF8.GetBytes("secret");
                var g = new PyroProxyOptions { HmacKey = {|TPY5003:key|} };
            }
        }
        """);

    [Fact]
    public Task Message_NamesTheTarget() => Run("""
        class C { PyroDaemonOptions O() => new() { HmacKey = {|#0:"k"u8.ToArray()|} }; }
        """, V.Diagnostic(Descriptors.HardCodedHmacKey).WithLocation(0).WithArguments("PyroDaemonOptions.HmacKey"));

    [Fact]
    public Task KeysFromOutside_Quiet() => Run("""
        using System.Text;
        class C
        {
            void M(byte[] fromCaller, string secret)
            {
                var a = new PyroProxyOptions { HmacKey = Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable("PYRO_HMAC_KEY")!) };
                var b = new PyroDaemonOptions { HmacKey = fromCaller };
                var c = new PyroProxyOptions { HmacKey = Encoding.UTF8.GetBytes(secret) };
                var d = new PyroProxyOptions { HmacKey = null };
                var e = new PyroProxyOptions { HmacKey = File.ReadAllBytes("key.bin") };
                var f = new PyroProxyOptions { HmacKey = new byte[32] };
                byte[] notAKey = Encoding.UTF8.GetBytes("hello");
                Security.UseKey(fromCaller);
            }
        }
        """);
}

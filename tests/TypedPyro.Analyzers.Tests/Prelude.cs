using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TypedPyro.Analyzers.Tests;

/// <summary>
/// Stand-ins for the TypedPyro runtime names the analyzers look for (attributes, proxy, options, config, serializer
/// ids), compiled once into an in-memory assembly "TypedPyro" that every test references. The analyzers match
/// by namespace and name, so these behave like the real runtime.
/// </summary>
internal static class Prelude
{
    public const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        namespace TypedPyro
        {
            [AttributeUsage(AttributeTargets.Interface | AttributeTargets.Method | AttributeTargets.Property | AttributeTargets.Class, Inherited = false)]
            public sealed class ExposeAttribute : Attribute { }

            [AttributeUsage(AttributeTargets.Method, Inherited = false)]
            public sealed class OnewayAttribute : Attribute { }

            [AttributeUsage(AttributeTargets.Method | AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false)]
            public sealed class PyroNameAttribute(string name) : Attribute { public string Name { get; } = name; }

            public enum PyroNamingPolicy { AsDeclared = 0, SnakeCase = 1 }

            [AttributeUsage(AttributeTargets.Interface, Inherited = false)]
            public sealed class PyroNamingAttribute(PyroNamingPolicy policy) : Attribute { public PyroNamingPolicy Policy { get; } = policy; }

            [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
            public sealed class PyroDtoAttribute(string className) : Attribute { public string ClassName { get; } = className; }

            public sealed class PyroUri
            {
                public static PyroUri Parse(string text) => new PyroUri();
            }

            public sealed class PyroConfig
            {
                public string Serializer { get; set; } = "serpent";
                public ISet<string> SerializersAccepted { get; set; } = new HashSet<string>();
                public TimeSpan CommTimeout { get; set; }
            }

            public sealed record PyroProxyOptions
            {
                public TypedPyro.Serialization.SerializerId? Serializer { get; init; }
                public byte[]? HmacKey { get; init; }
                public PyroConfig? Config { get; init; }
            }

            public sealed record PyroTlsOptions { }

            public sealed record PyroDaemonOptions
            {
                public string? Host { get; init; }
                public int Port { get; init; }
                public byte[]? HmacKey { get; init; }
                public PyroTlsOptions? Tls { get; init; }
                public PyroConfig? Config { get; init; }
            }

            public sealed class PyroProxy : IAsyncDisposable, IDisposable
            {
                public PyroProxy(PyroUri uri, PyroProxyOptions? options = null) { }
                public PyroProxy(string uri, PyroProxyOptions? options = null) { }
                public TimeSpan Timeout { get; set; }
                public Task<object?> InvokeAsync(string method, IReadOnlyList<object?>? args = null, CancellationToken cancellationToken = default) => Task.FromResult<object?>(null);
                public object? Invoke(string method, params object?[] args) => null;
                public void Release() { }
                public void Dispose() { }
                public ValueTask DisposeAsync() => default;
            }

            public static class Pyro
            {
                public static T Proxy<T>(string uri, PyroProxyOptions? options = null) where T : class => throw new NotImplementedException();
            }

            public static class Security
            {
                public static void UseKey(byte[] hmacKey) { }
            }
        }

        namespace TypedPyro.Serialization
        {
            public enum SerializerId : ushort { Serpent = 1, Json = 2, Marshal = 3, Pickle = 4, Dill = 5, MsgPack = 6, CloudPickle = 7, Ping = 42 }

            public static class PyroSerializers
            {
                public static object ForName(string name) => name;
            }

            public sealed class PyTuple { }
        }
        """;

    /// <summary>Usings every test source gets (as a second file, in the test and in the fixed state).</summary>
    public const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using TypedPyro;
        global using TypedPyro.Serialization;
        """;

    public static ImmutableArray<MetadataReference> References { get; } = Build();

    private static ImmutableArray<MetadataReference> Build()
    {
        var compilation = CSharpCompilation.Create(
            "TypedPyro",
            [CSharpSyntaxTree.ParseText(Source, new CSharpParseOptions(LanguageVersion.Latest))],
            Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
            throw new InvalidOperationException("prelude does not compile: " + string.Join(Environment.NewLine, result.Diagnostics));
        return [.. Net100.References.All, MetadataReference.CreateFromImage(stream.ToArray())];
    }
}

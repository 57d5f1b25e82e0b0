using System.Reflection;
using System.Text.Json;

namespace TypedPyro.Tests.Support;

/// <summary>One golden vector file from tests/vectors (captured from Python Pyro4 4.82).</summary>
public sealed class Vector
{
    private Vector(string name, JsonElement root)
    {
        Name = name;
        Root = root;
    }

    /// <summary>The directory holding the vectors, baked in at build time.</summary>
    public static string Directory { get; } = typeof(Vector).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "VectorsDir").Value!;

    public string Name { get; }
    public JsonElement Root { get; }
    public string Kind => Root.GetProperty("kind").GetString()!;
    public string Description => Root.GetProperty("description").GetString()!;
    public JsonElement Decoded => Root.GetProperty("decoded");

    /// <summary>The <c>hex</c> field as bytes.</summary>
    public byte[] Bytes => Convert.FromHexString(Root.GetProperty("hex").GetString()!);

    public static Vector Load(string name)
    {
        var path = Path.Combine(Directory, name + ".json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return new Vector(name, doc.RootElement.Clone());
    }

    /// <summary>Names of all vectors whose name starts with <paramref name="prefix"/>.</summary>
    public static IEnumerable<string> Names(string prefix) => System.IO.Directory
        .EnumerateFiles(Directory, prefix + "*.json")
        .Select(p => Path.GetFileNameWithoutExtension(p))
        .Where(n => n != "index")
        .Order(StringComparer.Ordinal);

    /// <summary>xunit member data: one row per vector name with the prefix (and optional kind).</summary>
    public static TheoryData<string> Theory(string prefix, string? kind = null)
    {
        var data = new TheoryData<string>();
        foreach (var name in Names(prefix))
        {
            if (kind is null || Load(name).Kind == kind) data.Add(name);
        }
        return data;
    }

    public override string ToString() => Name;
}

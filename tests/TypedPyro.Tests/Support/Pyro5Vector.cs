using System.Reflection;
using System.Text.Json;

namespace TypedPyro.Tests.Support;

/// <summary>
/// One golden vector file from tests/vectors-pyro5 (captured from Python Pyro5 5.17-dev0, protocol 502): a
/// conversation (<c>cap_*</c>, its messages in wire order) or a probe (<c>probe_*</c>, a request and the daemon's replies).
/// </summary>
public sealed class Pyro5Vector
{
    private Pyro5Vector(string name, JsonElement root)
    {
        Name = name;
        Root = root;
    }

    /// <summary>The directory holding the vectors, baked in at build time.</summary>
    public static string Directory { get; } = typeof(Pyro5Vector).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "Pyro5VectorsDir").Value!;

    public string Name { get; }
    public JsonElement Root { get; }
    public string Kind => Root.GetProperty("kind").GetString()!;

    /// <summary>A conversation's messages, or a probe's replies, in wire order.</summary>
    public IReadOnlyList<Pyro5VectorMessage> Messages
        => [.. (Kind == "probe" ? Root.GetProperty("reply_messages") : Root.GetProperty("messages")).EnumerateArray().Select(m => new Pyro5VectorMessage(m))];

    /// <summary>A probe's request bytes.</summary>
    public byte[] Request => Convert.FromHexString(Root.GetProperty("request_hex").GetString()!);

    /// <summary>A probe whose request the daemon answered by closing the connection.</summary>
    public bool ClosedWithoutReply => Root.TryGetProperty("connection_closed_without_reply", out var c) && c.ValueKind == JsonValueKind.True;

    public static Pyro5Vector Load(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, name + ".json")));
        return new Pyro5Vector(name, doc.RootElement.Clone());
    }

    /// <summary>xunit member data: one row per vector whose name starts with <paramref name="prefix"/>.</summary>
    public static TheoryData<string> Theory(string prefix, Func<string, bool>? where = null)
    {
        var data = new TheoryData<string>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, prefix + "*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (where is null || where(name)) data.Add(name);
        }
        return data;
    }

    public override string ToString() => Name;
}

/// <summary>One recorded Pyro5 message and its decoded fields.</summary>
public sealed class Pyro5VectorMessage(JsonElement m)
{
    public byte[] Bytes { get; } = Convert.FromHexString(m.GetProperty("hex").GetString()!);
    public JsonElement Header => m.GetProperty("header");
    public int Type => Header.GetProperty("type").GetInt32();
    public int SerializerId => Header.GetProperty("serializer_id").GetInt32();
    public int Flags => Header.GetProperty("flags").GetInt32();
    public int Sequence => Header.GetProperty("seq").GetInt32();
    public Guid CorrelationId => Guid.Parse(Header.GetProperty("correlation_id").GetString()!);
    public bool Compressed => (Flags & 2) != 0;
    /// <summary>c2s (client to daemon) or s2c; probes' replies are s2c.</summary>
    public string Direction => m.TryGetProperty("direction", out var d) ? d.GetString()! : "s2c";
    public int Connection => m.TryGetProperty("connection", out var c) ? c.GetInt32() : 1;
    public IReadOnlyList<(string Key, string Hex)> Annotations
        => [.. m.GetProperty("annotations").EnumerateArray().Select(a => (a.GetProperty("key").GetString()!, a.GetProperty("hex").GetString()!))];
    /// <summary>The payload as text (serpent, json), or Python's repr of the decoded value after "marshal: " / "msgpack: ".</summary>
    public string? PayloadText => m.TryGetProperty("payload_text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
}

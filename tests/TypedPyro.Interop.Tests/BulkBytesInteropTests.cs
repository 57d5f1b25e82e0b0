using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TypedPyro.Interop.Tests.Support;

namespace TypedPyro.Interop.Tests;

/// <summary>A contract taking bulk bytes as a view and as an array, for Python clients.</summary>
[Expose]
public interface IBulkDigest
{
    string Digest(ReadOnlyMemory<byte> data);

    string DigestArray(byte[] data);

    [Oneway]
    void Remember(ReadOnlyMemory<byte> data);

    string Remembered();
}

internal sealed class BulkDigest : IBulkDigest
{
    private volatile string _remembered = "";

    private static string Hash(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public string Digest(ReadOnlyMemory<byte> data)
    {
        bool view = MemoryMarshal.TryGetArray(data, out var segment) && (segment.Offset != 0 || segment.Array!.Length != data.Length);
        return (view ? "view " : "array ") + Hash(data.Span);
    }

    public string DigestArray(byte[] data) => Hash(data);

    public void Remember(ReadOnlyMemory<byte> data) => _remembered = Hash(data.Span);

    public string Remembered() => _remembered;
}

/// <summary>
/// Python's bytes, sent by Python Pyro4's own proxy with serpent (base64 dict) and msgpack (bin), reach a .NET
/// <c>ReadOnlyMemory&lt;byte&gt;</c> parameter as a view, a <c>byte[]</c> parameter whole, and a oneway method intact.
/// </summary>
public sealed class BulkBytesInteropTests
{
    [Theory]
    [InlineData("serpent")]
    [InlineData("msgpack")]
    public async Task Python_bytes_reach_memory_and_array_parameters(string serializer)
    {
        var config = PyroConfig.Default.With(c => c.SerializersAccepted.Add("msgpack"));
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });
        var uri = daemon.Register<IBulkDigest>(new BulkDigest(), "digest");
        daemon.Start();
        var output = await PythonPeer.RunScriptAsync($$"""
            import hashlib, random, time, Pyro4
            Pyro4.config.SERIALIZER = "{{serializer}}"
            p = Pyro4.Proxy('{{uri}}')
            rnd = random.Random(11)
            for size in (1000, 70000, 3000000):
                data = bytes(rnd.getrandbits(8) for _ in range(size)) if size < 100000 else rnd.randbytes(size)
                digest = hashlib.sha256(data).hexdigest()
                print(size, p.Digest(data) in ("view " + digest, "array " + digest), p.Digest(data).split()[0], p.DigestArray(data) == digest)
            data = rnd.randbytes(500000)
            p.Remember(data)
            p.Digest(rnd.randbytes(500000))  # the next bulk request, read while the oneway call may still run
            for _ in range(100):
                if p.Remembered() == hashlib.sha256(data).hexdigest():
                    print("remembered")
                    break
                time.sleep(0.02)
            """);
        Assert.Equal(
            "1000 True array True\n70000 True view True\n3000000 True view True\nremembered",
            output.Trim().ReplaceLineEndings("\n"));
    }
}

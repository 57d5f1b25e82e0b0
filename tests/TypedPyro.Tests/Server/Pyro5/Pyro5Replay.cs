using System.Collections;
using System.Net.Sockets;
using System.Text;
using TypedPyro.Protocol;
using TypedPyro.Serialization;
using TypedPyro.Tests.Support;

namespace TypedPyro.Tests.Server.Pyro5;

/// <summary>
/// Replays the client side of a recorded Pyro5 conversation at a daemon and compares each reply with the recorded
/// one by header, annotations and value (correlation and stream ids aside, which are random; tracebacks aside, which
/// name Python's files; sets as sets, which Python orders by hash).
/// </summary>
internal static class Pyro5Replay
{
    /// <summary>Plays <paramref name="vector"/> at the daemon on <paramref name="port"/>; returns how many replies were compared.</summary>
    /// <param name="rewriteExpected">Applied to each recorded reply value before comparing (for values that name the recording's ports).</param>
    public static async Task<int> ConversationAsync(Pyro5Vector vector, int port, Func<object?, object?>? rewriteExpected = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port).WaitAsync(TimeSpan.FromSeconds(30));
        var stream = client.GetStream();
        var streamIds = new Dictionary<string, string>(); // recorded id -> ours
        Guid? requestCorrelation = null;
        int replies = 0;
        foreach (var m in vector.Messages)
        {
            if (m.Direction == "c2s")
            {
                var bytes = m.Bytes;
                foreach (var (recorded, ours) in streamIds) bytes = Replace(bytes, recorded, ours);
                if ((m.Flags & Pyro5Wire.CorrelationFlag) != 0) requestCorrelation = m.CorrelationId;
                await stream.WriteAsync(bytes);
                continue;
            }
            var reply = await Pyro5Codec.ReadAsync(stream, MessageCodec.AnyType, MessageSecurity.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            var expected = await Pyro5Codec.ReadAsync(new MemoryStream(m.Bytes), MessageCodec.AnyType, MessageSecurity.None);
            AssertSameReply(expected, reply, requestCorrelation, streamIds, $"{vector.Name} seq {m.Sequence}", rewriteExpected);
            replies++;
        }
        return replies;
    }

    public static void AssertSameReply(PyroMessage expected, PyroMessage actual, Guid? requestCorrelation, Dictionary<string, string> streamIds, string what,
        Func<object?, object?>? rewriteExpected = null)
    {
        Assert.True((expected.Type, expected.Flags, expected.Sequence, expected.SerializerId) == (actual.Type, actual.Flags, actual.Sequence, actual.SerializerId),
            $"{what}: expected {expected}, got {actual}");
        // Every Pyro5 reply carries a correlation id: the request's, when it sent one.
        Assert.NotNull(actual.CorrelationId);
        if (requestCorrelation is { } corr) Assert.Equal(corr, actual.CorrelationId);
        Assert.Equal(expected.Annotations.Select(a => a.Key), actual.Annotations.Select(a => a.Key));
        foreach (var a in expected.Annotations.Where(a => a.Key == Annotation.Stream))
        {
            actual.TryGetAnnotation(Annotation.Stream, out var ours);
            streamIds[Encoding.ASCII.GetString(a.Value.Span)] = Encoding.ASCII.GetString(ours.Span);
        }
        var serializer = Pyro5Serializers.Find(expected.SerializerId)!;
        var recorded = serializer.Deserialize(expected.GetSerializedData().Span);
        var e = Normalize(rewriteExpected is null ? recorded : rewriteExpected(recorded));
        var o = Normalize(serializer.Deserialize(actual.GetSerializedData().Span));
        Assert.True(PyValueComparer.Instance.Equals(e, o), $"{what}: expected {PythonRepr.Format(e)}, got {PythonRepr.Format(o)}");
    }

    /// <summary>Metadata name collections as sorted lists; exception dicts without their attributes (tracebacks).</summary>
    private static object? Normalize(object? value)
    {
        if (value is not IDictionary map) return value;
        if (map.Contains("__exception__")) return new Dictionary<object, object?> { ["__class__"] = map["__class__"], ["args"] = new List<object?>((IEnumerable<object?>)map["args"]!) };
        if (map.Contains("methods") && map.Contains("oneway")) return PyroObjectMetadata.FromWireValue(map).ToWireValue(asLists: true);
        var copy = new Dictionary<object, object?>();
        foreach (DictionaryEntry entry in map) copy[entry.Key] = Normalize(entry.Value);
        return copy;
    }

    private static byte[] Replace(byte[] bytes, string recorded, string ours)
    {
        var from = Encoding.ASCII.GetBytes(recorded);
        var to = Encoding.ASCII.GetBytes(ours);
        Assert.Equal(from.Length, to.Length); // same length: the header's sizes stay right
        var result = (byte[])bytes.Clone();
        for (int i = result.AsSpan().IndexOf(from); i >= 0; i = result.AsSpan().IndexOf(from))
            to.CopyTo(result, i);
        return result;
    }
}

using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TypedPyro.Naming.Redis;

/// <summary>
/// One registration as one Redis hash value, so a lookup is one <c>HGET</c>:
/// <c>&lt;URI length in UTF-8 bytes&gt;:&lt;URI&gt;&lt;metadata as a JSON array, absent when empty&gt;</c>.
/// The length prefix lets the Lua scripts take the URI apart without a JSON parser (see <see cref="RedisScripts"/>).
/// </summary>
internal static class RegistrationCodec
{
    public static byte[] Encode(string uri, IReadOnlySet<string> metadata)
    {
        var buffer = new ArrayBufferWriter<byte>(uri.Length + 16);
        int uriBytes = Encoding.UTF8.GetByteCount(uri);
        Write(buffer, Encoding.ASCII.GetBytes(uriBytes.ToString(CultureInfo.InvariantCulture) + ":"));
        Write(buffer, Encoding.UTF8.GetBytes(uri));
        Write(buffer, EncodeMetadata(metadata));
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The metadata part alone (empty for no tags): what <c>set_metadata</c> puts after the kept URI.</summary>
    public static byte[] EncodeMetadata(IReadOnlySet<string> metadata)
    {
        if (metadata.Count == 0) return [];
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var tag in metadata) json.WriteStringValue(tag);
            json.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="NamingException">The value was not written by this codec (another program's key).</exception>
    public static NameRegistration Decode(string name, ReadOnlySpan<byte> value)
    {
        int colon = value.IndexOf((byte)':');
        if (colon <= 0 || !int.TryParse(value[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out int uriBytes) || colon + 1 + uriBytes > value.Length)
            throw new NamingException("redis registry holds a value that is not a registration, for name: " + name);
        string uri = Encoding.UTF8.GetString(value.Slice(colon + 1, uriBytes));
        var rest = value[(colon + 1 + uriBytes)..];
        if (rest.IsEmpty) return new NameRegistration(name, uri);
        var tags = new List<string>();
        try
        {
            var reader = new Utf8JsonReader(rest);
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("not an array");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) tags.Add(reader.GetString() ?? "");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new NamingException("redis registry holds metadata that cannot be read, for name: " + name, e);
        }
        return new NameRegistration(name, uri, tags);
    }

    private static void Write(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(buffer.GetSpan(bytes.Length));
        buffer.Advance(bytes.Length);
    }
}

namespace TypedPyro.Protocol;

/// <summary>
/// One annotation chunk: a 4-character ASCII key and an opaque value of at most 65535 bytes.
/// </summary>
/// <param name="Key">Exactly four ASCII characters, e.g. <c>CORR</c>.</param>
/// <param name="Value">The value bytes.</param>
public readonly record struct Annotation(string Key, ReadOnlyMemory<byte> Value)
{
    /// <summary>Correlation id: 16 bytes, a UUID in RFC 4122 byte order.</summary>
    public const string Correlation = "CORR";
    /// <summary>HMAC-SHA1 signature of the message.</summary>
    public const string Hmac = "HMAC";
    /// <summary>Stream id of a remote iterator.</summary>
    public const string Stream = "STRM";
    /// <summary>SerializedBlob routing info (marshal of <c>(info, objectId, method)</c>).</summary>
    public const string BlobInfo = "BLBI";

    /// <summary>Largest value of one chunk, and of all chunks together including their 6-byte headers.</summary>
    public const int MaxSize = ushort.MaxValue;

    /// <summary>True for the keys Pyro itself uses; user code may not send these.</summary>
    public static bool IsReserved(string key) => key is Correlation or Hmac or Stream or BlobInfo;

    /// <summary>Checks that a key is exactly four ASCII characters.</summary>
    /// <exception cref="ArgumentException">It is not.</exception>
    public static void ValidateKey(string key)
    {
        if (key is null || key.Length != 4 || !System.Text.Ascii.IsValid(key))
            throw new ArgumentException($"annotation key must be exactly 4 ASCII characters: '{key}'", nameof(key));
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Key}={Convert.ToHexStringLower(Value.Span)}";
}

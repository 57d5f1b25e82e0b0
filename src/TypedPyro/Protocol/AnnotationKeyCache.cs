namespace TypedPyro.Protocol;

/// <summary>Avoids allocating a string for the common annotation keys on every received message.</summary>
internal static class AnnotationKeyCache
{
    public static string Get(ReadOnlySpan<byte> key)
    {
        if (key.SequenceEqual("CORR"u8)) return Annotation.Correlation;
        if (key.SequenceEqual("HMAC"u8)) return Annotation.Hmac;
        if (key.SequenceEqual("STRM"u8)) return Annotation.Stream;
        if (key.SequenceEqual("BLBI"u8)) return Annotation.BlobInfo;
        return System.Text.Encoding.ASCII.GetString(key);
    }
}

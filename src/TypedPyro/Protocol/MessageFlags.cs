namespace TypedPyro.Protocol;

/// <summary>Pyro4 message flags (header field at offset 8). Unknown bits are ignored, as Python does.</summary>
[Flags]
public enum MessageFlags : ushort
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>RESULT: the payload is a serialized exception.</summary>
    Exception = 0x0001,
    /// <summary>The payload is zlib-compressed.</summary>
    Compressed = 0x0002,
    /// <summary>INVOKE: the caller does not wait; the daemon sends no reply at all.</summary>
    Oneway = 0x0004,
    /// <summary>INVOKE: a batch of calls; RESULT: the list of batch results.</summary>
    Batch = 0x0008,
    /// <summary>CONNECT: include object metadata in CONNECTOK; CONNECTOK: metadata included.</summary>
    MetaOnConnect = 0x0010,
    /// <summary>RESULT: the call returned an iterator whose id is in the STRM annotation.</summary>
    ItemStreamResult = 0x0020,
    /// <summary>INVOKE: a single SerializedBlob argument; routing info in the BLBI annotation.</summary>
    KeepSerialized = 0x0040,
}

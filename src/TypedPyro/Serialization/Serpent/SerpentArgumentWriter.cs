using System.Buffers;

namespace TypedPyro.Serialization;

/// <summary>
/// Serpent's typed call writer: <c>(objectId,method,(args...),{})</c>, byte-identical to what
/// <see cref="SerpentSerializer.Serialize(IBufferWriter{byte}, object?)"/> writes for the same call as a tuple.
/// </summary>
internal sealed class SerpentArgumentWriter : BufferArgumentWriter<SerpentArgumentWriter>
{
    public static void WriteCall<TArgs>(IBufferWriter<byte> output, int maxDepth, string objectId, string method, TArgs args)
        where TArgs : IPyroArguments
    {
        WriteHead(output, objectId, method);

        int written = WriteArguments(output, maxDepth, args);

        var tail = new PythonLiteralWriter(output);
        tail.WriteRaw(written == 1 ? ",),{})"u8 : "),{})"u8);
        tail.Flush();
    }

    // The head of the last call this thread wrote, "# serpent utf-8 python3.2\n('obj','method',(": a proxy's calls
    // mostly repeat one object and method (the same string instances: the URI's id, the generated method's literal),
    // so its bytes are copied instead of written again. Per thread, so no lock; a miss writes the head once more
    // into the same buffer, so alternating methods cost no allocation either.
    private sealed class HeadCache
    {
        public string? ObjectId;
        public string? Method;
        public readonly ArrayBufferWriter<byte> Bytes = new(64);
    }

    [ThreadStatic] private static HeadCache? t_headCache;

    private static void WriteHead(IBufferWriter<byte> output, string objectId, string method)
    {
        var cache = t_headCache ??= new HeadCache();
        if (!ReferenceEquals(objectId, cache.ObjectId) || !ReferenceEquals(method, cache.Method))
        {
            cache.Bytes.ResetWrittenCount();
            var head = new PythonLiteralWriter(cache.Bytes);
            head.WriteRaw(SerpentWriter.Header);
            head.WriteByte((byte)'(');
            head.WriteStringRepr(objectId);
            head.WriteByte((byte)',');
            head.WriteStringRepr(method);
            head.WriteRaw(",("u8);
            head.Flush();
            (cache.ObjectId, cache.Method) = (objectId, method);
        }
        output.Write(cache.Bytes.WrittenSpan);
    }

    private PythonLiteralWriter Next()
    {
        var literal = new PythonLiteralWriter(Output);
        if (!IsFirst()) literal.WriteByte((byte)',');
        return literal;
    }

    public override void WriteString(string? value)
    {
        var literal = Next();
        if (value is null) literal.WriteRaw("None"u8);
        else literal.WriteStringRepr(value);
        literal.Flush();
    }

    public override void WriteInt64(long value)
    {
        var literal = Next();
        literal.WriteInt64(value);
        literal.Flush();
    }

    public override void WriteBoolean(bool value)
    {
        var literal = Next();
        literal.WriteRaw(value ? "True"u8 : "False"u8);
        literal.Flush();
    }

    public override void WriteDouble(double value)
    {
        Next().Flush();
        new SerpentWriter(Output, MaxDepth).WriteFloatItem(value);
    }

    public override void WriteValue(object? value)
    {
        Next().Flush();
        new SerpentWriter(Output, MaxDepth).WriteItem(value);
    }
}

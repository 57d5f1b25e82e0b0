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
        var head = new PythonLiteralWriter(output);
        head.WriteRaw(SerpentWriter.Header);
        head.WriteByte((byte)'(');
        head.WriteStringRepr(objectId);
        head.WriteByte((byte)',');
        head.WriteStringRepr(method);
        head.WriteRaw(",("u8);
        head.Flush();

        int written = WriteArguments(output, maxDepth, args);

        var tail = new PythonLiteralWriter(output);
        tail.WriteRaw(written == 1 ? ",),{})"u8 : "),{})"u8);
        tail.Flush();
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

using System.Buffers;

namespace TypedPyro.Serialization;

/// <summary>
/// Json's typed call writer: <c>{"object": .., "method": .., "params": [args...], "kwargs": {}}</c>, byte-identical to
/// <see cref="PyroJsonSerializer.SerializeCall(IBufferWriter{byte}, string, string, IReadOnlyList{object?}, IReadOnlyDictionary{string, object?}?)"/>
/// with no keyword arguments.
/// </summary>
internal sealed class JsonArgumentWriter : BufferArgumentWriter<JsonArgumentWriter>
{
    public static void WriteCall<TArgs>(IBufferWriter<byte> output, int maxDepth, string objectId, string method, TArgs args)
        where TArgs : IPyroArguments
    {
        var head = new JsonValueWriter(output, maxDepth);
        head.WriteCallStart(objectId, method);
        head.Flush();

        WriteArguments(output, maxDepth, args);

        var tail = new JsonValueWriter(output, maxDepth);
        tail.WriteCallEnd();
        tail.Flush();
    }

    private JsonValueWriter Next()
    {
        var json = new JsonValueWriter(Output, MaxDepth);
        if (!IsFirst()) json.WriteAscii(", "u8);
        return json;
    }

    public override void WriteString(string? value)
    {
        var json = Next();
        if (value is null) json.WriteAscii("null"u8);
        else json.WriteString(value);
        json.Flush();
    }

    public override void WriteInt64(long value)
    {
        var json = Next();
        json.WriteInt64(value);
        json.Flush();
    }

    public override void WriteBoolean(bool value)
    {
        var json = Next();
        json.WriteAscii(value ? "true"u8 : "false"u8);
        json.Flush();
    }

    public override void WriteDouble(double value)
    {
        var json = Next();
        json.WriteDouble(value);
        json.Flush();
    }

    public override void WriteValue(object? value)
    {
        var json = Next();
        // Depth 2: inside the call object and its params list, as the untyped writer counts it.
        json.WriteValue(value, 2);
        json.Flush();
    }
}

using System.Buffers;

namespace TypedPyro.Serialization;

/// <summary>
/// Json's typed call writer: <c>{"object": .., "method": .., "params": [args...], "kwargs": {}}</c>, byte-identical to
/// <see cref="PyroJsonSerializer.SerializeCall(IBufferWriter{byte}, string, string, IReadOnlyList{object?}, IReadOnlyDictionary{string, object?}?)"/>
/// with no keyword arguments.
/// </summary>
internal sealed class JsonArgumentWriter : PyroArgumentWriter
{
    [ThreadStatic] private static JsonArgumentWriter? t_cached;

    private IBufferWriter<byte> _output = null!;
    private int _maxDepth;
    private int _written;

    public static void WriteCall<TArgs>(IBufferWriter<byte> output, int maxDepth, string objectId, string method, TArgs args)
        where TArgs : IPyroArguments
    {
        var head = new JsonValueWriter(output, maxDepth);
        head.WriteCallStart(objectId, method);
        head.Flush();

        // One writer per thread, taken out while in use (a value's serialization may make a call of its own).
        var writer = t_cached ?? new JsonArgumentWriter();
        t_cached = null;
        (writer._output, writer._maxDepth, writer._written) = (output, maxDepth, 0);
        args.WriteTo(writer);
        writer._output = null!;
        t_cached = writer;

        var tail = new JsonValueWriter(output, maxDepth);
        tail.WriteCallEnd();
        tail.Flush();
    }

    private JsonValueWriter Next()
    {
        var json = new JsonValueWriter(_output, _maxDepth);
        if (_written++ > 0) json.WriteAscii(", "u8);
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

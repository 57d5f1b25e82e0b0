using System.Buffers;
using BenchmarkDotNet.Attributes;
using TypedPyro.Protocol;

namespace TypedPyro.Benchmarks;

/// <summary>Framing a message (with and without HMAC) and parsing it back.</summary>
[MemoryDiagnoser]
public class FramingBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly PyroMessage _message = new(MessageType.Invoke, MessageFlags.None, 1, 1,
        "# serpent utf-8 python3.2\n('test.echoserver','echo',('hello worl',),{})"u8.ToArray(),
        [new Annotation(Annotation.Correlation, new byte[16])]);
    private readonly MessageSecurity _hmac = new("benchmark-key"u8.ToArray());
    private byte[] _framed = [];

    [GlobalSetup]
    public void Setup() => _framed = MessageCodec.ToBytes(_message, MessageSecurity.None);

    [Benchmark]
    public int Write()
    {
        _buffer.ResetWrittenCount();
        MessageCodec.Write(_buffer, _message, MessageSecurity.None);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public int WriteWithHmac()
    {
        _buffer.ResetWrittenCount();
        MessageCodec.Write(_buffer, _message, _hmac);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public async Task<int> Read()
    {
        var message = await MessageCodec.ReadAsync(new MemoryStream(_framed, writable: false), MessageCodec.AnyType, MessageSecurity.None);
        return message.Payload.Length;
    }
}

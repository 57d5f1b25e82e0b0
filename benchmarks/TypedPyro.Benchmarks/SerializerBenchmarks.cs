using System.Buffers;
using BenchmarkDotNet.Attributes;
using TypedPyro.Serialization;

namespace TypedPyro.Benchmarks;

/// <summary>Serpent and json: write and read a typical call and a typical structured result.</summary>
[MemoryDiagnoser]
public class SerializerBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly PyTuple _echoArgs = new("hello worl");
    private readonly Dictionary<object, object?> _result = new()
    {
        ["name"] = "warehouse",
        ["items"] = new List<object?> { "chair", "bike", "flashlight", "laptop", "couch" },
        ["count"] = 5L,
        ["ratio"] = 0.25,
        ["open"] = true,
    };
    private byte[] _serpentCall = [];
    private byte[] _jsonCall = [];
    private byte[] _serpentResult = [];
    private byte[] _jsonResult = [];

    [GlobalSetup]
    public void Setup()
    {
        _serpentCall = Write(PyroSerializers.Serpent, s => s.SerializeCall(_buffer, "test.echoserver", "echo", _echoArgs, null));
        _jsonCall = Write(PyroSerializers.Json, s => s.SerializeCall(_buffer, "test.echoserver", "echo", _echoArgs, null));
        _serpentResult = PyroSerializers.Serpent.Serialize(_result);
        _jsonResult = PyroSerializers.Json.Serialize(_result);
    }

    private byte[] Write(PyroSerializer serializer, Action<PyroSerializer> write)
    {
        _buffer.ResetWrittenCount();
        write(serializer);
        return _buffer.WrittenSpan.ToArray();
    }

    [Benchmark]
    public int SerpentWriteCall()
    {
        _buffer.ResetWrittenCount();
        PyroSerializers.Serpent.SerializeCall(_buffer, "test.echoserver", "echo", _echoArgs, null);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public PyroCall SerpentReadCall() => PyroSerializers.Serpent.DeserializeCall(_serpentCall);

    [Benchmark]
    public int JsonWriteCall()
    {
        _buffer.ResetWrittenCount();
        PyroSerializers.Json.SerializeCall(_buffer, "test.echoserver", "echo", _echoArgs, null);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public PyroCall JsonReadCall() => PyroSerializers.Json.DeserializeCall(_jsonCall);

    [Benchmark]
    public int SerpentWriteResult()
    {
        _buffer.ResetWrittenCount();
        PyroSerializers.Serpent.Serialize(_buffer, _result);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public object? SerpentReadResult() => PyroSerializers.Serpent.Deserialize(_serpentResult);

    [Benchmark]
    public int JsonWriteResult()
    {
        _buffer.ResetWrittenCount();
        PyroSerializers.Json.Serialize(_buffer, _result);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public object? JsonReadResult() => PyroSerializers.Json.Deserialize(_jsonResult);
}

using System.Buffers;
using TypedPyro.Serialization;

namespace TypedPyro.Fuzz;

/// <summary>
/// One serializer's reader, through the three ways the runtime reads a payload: a value (<c>Deserialize</c>), a call
/// as a proxy-agnostic peer reads it (<c>DeserializeCall(span)</c>), and a call as a daemon connection reads it, into
/// its reused argument list and with bulk bytes borrowed from the buffer. A value that was read is written again.
/// </summary>
/// <remarks>The first input byte chooses the way (modulo 3); the rest is the payload.</remarks>
public sealed class SerializerTarget(string name, PyroSerializer serializer) : IFuzzTarget
{
    private readonly CallArguments _arguments = new();

    /// <inheritdoc/>
    public string Name => name;

    /// <inheritdoc/>
    public void Run(byte[] input)
    {
        if (input.Length == 0) return;
        var payload = input.AsMemory(1);
        try
        {
            switch (input[0] % 3)
            {
                case 0:
                    WriteBack(serializer.Deserialize(payload.Span));
                    break;
                case 1:
                    _ = serializer.DeserializeCall(payload.Span);
                    break;
                default:
                    ReadAsDaemon(payload);
                    break;
            }
        }
        catch (SerializeException)
        {
            // The documented error for malformed data.
        }
    }

    private void ReadAsDaemon(ReadOnlyMemory<byte> payload)
    {
        try
        {
            var call = serializer.DeserializeCall(payload, borrowBulkBytes: true, _arguments);
            foreach (var arg in call.Args)
            {
                if (arg is not BorrowedBytes borrowed) continue;
                try
                {
                    _ = borrowed.View();
                }
                catch (ArgumentException)
                {
                    // Documented by View: invalid base64, found only when the method reads the argument.
                }
            }
            BorrowedBytes.ReleaseAll(call.Args, abandon: false);
        }
        finally
        {
            _arguments.Clear();
        }
    }

    /// <summary>Everything a reader returns is in the object model, which every writer accepts.</summary>
    private void WriteBack(object? value)
    {
        var output = new ArrayBufferWriter<byte>(256);
        try
        {
            serializer.Serialize(output, value);
        }
        catch (SerializeException e)
        {
            throw new FuzzInvariantException($"{name} could not write back a value it read: {e.Message}");
        }
    }
}

using System.Buffers.Binary;
using System.Text;

namespace TypedPyro;

/// <summary>
/// Writes the one pickle Python's daemon sends to a client that used the (refused) pickle serializer: the
/// <c>SerializeError</c> that explains the refusal. Write-only and fixed in shape (protocol 2: GLOBAL, REDUCE,
/// BUILD with the traceback); TypedPyro never reads pickle.
/// </summary>
internal static class PickleErrorReply
{
    public static byte[] Create(string pyroErrorClass, string message, string traceback)
    {
        var output = new MemoryStream();
        output.Write([0x80, 2]); // PROTO 2
        output.WriteByte((byte)'c'); // GLOBAL module\nname\n
        output.Write(Encoding.ASCII.GetBytes($"Pyro4.errors\n{pyroErrorClass}\n"));
        WriteString(output, message);
        output.WriteByte(0x85); // TUPLE1
        output.WriteByte((byte)'R'); // REDUCE: SerializeError(message)
        output.WriteByte((byte)'}'); // EMPTY_DICT: the exception's __dict__
        WriteString(output, PyroExceptionMapping.TracebackAttribute);
        output.WriteByte((byte)']'); // EMPTY_LIST
        WriteString(output, traceback);
        output.WriteByte((byte)'a'); // APPEND
        output.WriteByte((byte)'s'); // SETITEM
        output.WriteByte((byte)'b'); // BUILD
        output.WriteByte((byte)'.'); // STOP
        return output.ToArray();
    }

    private static void WriteString(MemoryStream output, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        output.WriteByte((byte)'X'); // BINUNICODE
        output.Write(length);
        output.Write(bytes);
    }
}

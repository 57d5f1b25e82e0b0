using System.Buffers;
using TypedPyro.Protocol;

namespace TypedPyro.Serialization;

/// <summary>
/// The shared part of the serializers' typed call writers: the output, and one writer per thread reused from call to
/// call (taken out while in use, so that a value whose serialization makes a call of its own gets a fresh one).
/// </summary>
internal abstract class BufferArgumentWriter<TSelf> : PyroArgumentWriter where TSelf : BufferArgumentWriter<TSelf>, new()
{
    [ThreadStatic] private static TSelf? t_cached;

#pragma warning disable CS0169 // never read: the padding is the point
    private readonly CacheLinePadding _trail;
#pragma warning restore CS0169

    protected IBufferWriter<byte> Output { get; private set; } = null!;

    protected int MaxDepth { get; private set; }

    private int _written;

    /// <summary>Writes <paramref name="args"/> to <paramref name="output"/>; returns how many values were written.</summary>
    public static int WriteArguments<TArgs>(IBufferWriter<byte> output, int maxDepth, TArgs args) where TArgs : IPyroArguments
    {
        var writer = t_cached ?? new TSelf();
        t_cached = null;
        (writer.Output, writer.MaxDepth, writer._written) = (output, maxDepth, 0);
        args.WriteTo(writer);
        writer.Output = null!;
        t_cached = writer;
        return writer._written;
    }

    /// <summary>True for the first value of the call (no separator before it); counts the value.</summary>
    protected bool IsFirst() => _written++ == 0;
}

using System.Runtime.CompilerServices;
using TypedPyro.Protocol;
using TypedPyro.Serialization;

namespace TypedPyro.Tests.Protocol;

/// <summary>
/// Pins the field layout <see cref="CacheLineIsolated"/> relies on: a derived class's fields come after the base's
/// padding, and a padding struct declared in a class itself goes behind its fields whatever the declaration order.
/// </summary>
public class CacheLineIsolatedTests
{
    private const int Padding = 128;

    private sealed class Isolated : CacheLineIsolated
    {
        public object? Reference;
        public int Number;
        public CacheLinePadding Trail;
    }

    private sealed class PaddedInItself
    {
        public CacheLinePadding Lead; // declared first, laid out last
        public object? Reference;
        public int Number;
    }

    // The shape Unsafe.As reads any object as: a reference to its first byte of field data.
    private sealed class RawData
    {
#pragma warning disable CS0649 // never assigned: only its address is taken
        public byte Data;
#pragma warning restore CS0649
    }

    private static long Offset<T>(object owner, ref T field) =>
        (long)Unsafe.ByteOffset(ref Unsafe.As<RawData>(owner).Data, ref Unsafe.As<T, byte>(ref field));

    [Fact]
    public void A_derived_class_keeps_its_fields_a_padding_away_from_both_neighbours()
    {
        var isolated = new Isolated();
        long reference = Offset(isolated, ref isolated.Reference);
        long number = Offset(isolated, ref isolated.Number);
        long trail = Offset(isolated, ref isolated.Trail);
        Assert.True(reference >= Padding && number >= Padding, $"fields at {reference} and {number}: inside the lead padding");
        Assert.True(trail > reference && trail > number, $"trail at {trail}: not behind the fields ({reference}, {number})");
    }

    [Fact]
    public void Padding_declared_in_the_class_itself_lands_behind_its_fields()
    {
        // Why the lead padding is a base class: if this starts failing, the runtime honours declaration order and the
        // base class could become a first field.
        var padded = new PaddedInItself();
        Assert.True(Offset(padded, ref padded.Lead) > Offset(padded, ref padded.Number));
        Assert.True(Offset(padded, ref padded.Reference) < Padding);
    }

    [Fact]
    public void The_objects_written_on_every_call_carry_both_paddings()
    {
        Assert.True(AllocatedBy(() => new CallGate()) >= 2 * Padding, "CallGate");
        Assert.True(AllocatedBy(() => new PooledBufferWriter(0)) >= 2 * Padding, "PooledBufferWriter");
        Assert.True(AllocatedBy(() => new SerpentArgumentWriter()) >= 2 * Padding, "SerpentArgumentWriter");
    }

    private static long AllocatedBy(Func<object> create)
    {
        create(); // the first call may allocate for the type itself
        long before = GC.GetAllocatedBytesForCurrentThread();
        var created = create();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(created);
        return allocated;
    }
}

using System.Buffers.Binary;
using System.Text;

namespace TypedPyro.Serialization;

/// <summary>
/// The object ids and method names of incoming calls: the same few arrive call after call, so a short ASCII one is
/// taken from a small shared table instead of being made anew. Lock-free: a slot holds one string and a collision
/// just replaces it, so hostile names can only cost the allocation they would have cost anyway.
/// </summary>
internal static class CallNameCache
{
    public const int MaxLength = 64;

    private static readonly string?[] Slots = new string?[256];

    /// <summary>The string of <paramref name="ascii"/> (at most <see cref="MaxLength"/> ASCII bytes).</summary>
    public static string Get(ReadOnlySpan<byte> ascii)
    {
        ref string? slot = ref Slots[Hash(ascii) % (uint)Slots.Length];
        string? cached = Volatile.Read(ref slot);
        if (cached is not null && cached.Length == ascii.Length && Ascii.Equals(ascii, cached)) return cached;
        string name = Encoding.ASCII.GetString(ascii);
        Volatile.Write(ref slot, name);
        return name;
    }

    /// <summary>
    /// A cheap hash of the length and the first and last four bytes: it only picks a slot, and a collision costs one
    /// allocation, so <see cref="HashCode.AddBytes"/> (a few times slower for a 20-byte name) is not needed here.
    /// </summary>
    private static uint Hash(ReadOnlySpan<byte> ascii)
    {
        uint hash = (uint)ascii.Length * 0x9E3779B1u;
        if (ascii.Length >= 4)
        {
            hash ^= BinaryPrimitives.ReadUInt32LittleEndian(ascii) * 0x85EBCA77u;
            hash ^= BinaryPrimitives.ReadUInt32LittleEndian(ascii[^4..]) * 0xC2B2AE3Du;
        }
        else
        {
            foreach (byte b in ascii) hash = (hash ^ b) * 0x01000193u;
        }
        return hash ^ (hash >> 15);
    }
}

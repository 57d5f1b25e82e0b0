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
        var hash = new HashCode();
        hash.AddBytes(ascii);
        ref string? slot = ref Slots[(uint)hash.ToHashCode() % (uint)Slots.Length];
        string? cached = Volatile.Read(ref slot);
        if (cached is not null && cached.Length == ascii.Length && Ascii.Equals(ascii, cached)) return cached;
        string name = Encoding.ASCII.GetString(ascii);
        Volatile.Write(ref slot, name);
        return name;
    }
}

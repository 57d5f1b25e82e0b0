using System.Security.Cryptography;

namespace TypedPyro.Protocol;

/// <summary>
/// Pyro4's HMAC-SHA1 message signature: over the payload exactly as on the wire, followed by the values of all
/// other annotations ordered by key (ordinal), excluding HMAC itself.
/// </summary>
internal static class MessageHmac
{
    public const int Length = 20;

    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> payload, IReadOnlyList<Annotation> annotations, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, key);
        hmac.AppendData(payload);
        foreach (var annotation in SortedWithoutHmac(annotations)) hmac.AppendData(annotation.Value.Span);
        hmac.GetHashAndReset(destination);
    }

    /// <summary>Verifies in constant time.</summary>
    public static bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> payload, IReadOnlyList<Annotation> annotations, ReadOnlySpan<byte> signature)
    {
        Span<byte> expected = stackalloc byte[Length];
        Compute(key, payload, annotations, expected);
        return CryptographicOperations.FixedTimeEquals(expected, signature);
    }

    private static IEnumerable<Annotation> SortedWithoutHmac(IReadOnlyList<Annotation> annotations)
    {
        // Almost always zero to two annotations: a tiny insertion sort keeps this allocation-light.
        var sorted = new List<Annotation>(annotations.Count);
        foreach (var a in annotations)
        {
            if (a.Key == Annotation.Hmac) continue;
            int i = sorted.Count;
            while (i > 0 && string.CompareOrdinal(sorted[i - 1].Key, a.Key) > 0) i--;
            sorted.Insert(i, a);
        }
        return sorted;
    }
}

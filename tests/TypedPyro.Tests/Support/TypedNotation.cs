using System.Numerics;
using System.Text.Json;
using TypedPyro.Serialization;

namespace TypedPyro.Tests.Support;

/// <summary>
/// Converts the vectors' typed JSON notation (see tests/vectors/README.md) into TypedPyro's untyped object model.
/// </summary>
public static class TypedNotation
{
    public static object? ToValue(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Null: return null;
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.String: return e.GetString();
            case JsonValueKind.Number:
                var raw = e.GetRawText();
                if (raw.Contains('.') || raw.Contains('e') || raw.Contains('E')) return e.GetDouble();
                return e.TryGetInt64(out var l) ? (object)l : BigInteger.Parse(raw);
            case JsonValueKind.Array:
                return e.EnumerateArray().Select(ToValue).ToList();
            case JsonValueKind.Object:
                if (e.TryGetProperty("$bigint", out var big))
                {
                    var b = BigInteger.Parse(big.GetString()!);
                    return b >= long.MinValue && b <= long.MaxValue ? (object)(long)b : b;
                }
                if (e.TryGetProperty("$float", out var f))
                {
                    return f.GetString() switch
                    {
                        "nan" => double.NaN,
                        "inf" => double.PositiveInfinity,
                        "-inf" => double.NegativeInfinity,
                        var other => throw new FormatException("unknown $float " + other),
                    };
                }
                if (e.TryGetProperty("$tuple", out var t)) return new PyTuple(t.EnumerateArray().Select(ToValue).ToArray());
                if (e.TryGetProperty("$set", out var s)) return new HashSet<object?>(s.EnumerateArray().Select(ToValue), PyValueComparer.Instance);
                if (e.TryGetProperty("$bytes", out var bytes)) return Convert.FromHexString(bytes.GetString()!);
                if (e.TryGetProperty("$dict", out var pairs))
                {
                    var d = new Dictionary<object, object?>(PyValueComparer.Instance!);
                    foreach (var pair in pairs.EnumerateArray()) d[ToValue(pair[0])!] = ToValue(pair[1]);
                    return d;
                }
                var dict = new Dictionary<object, object?>();
                foreach (var p in e.EnumerateObject()) dict[p.Name] = ToValue(p.Value);
                return dict;
            default:
                throw new FormatException("unexpected JSON " + e.ValueKind);
        }
    }
}

using System.Numerics;
using System.Text.Json;
using System.Text.RegularExpressions;
using TypedPyro.Serialization;
using TypedPyro.Tests.Support;
using Vector = TypedPyro.Tests.Support.Vector;

namespace TypedPyro.Tests.Serialization.Serpent;

/// <summary>A Pyro class dict whose content the vectors only describe by repr (URI, Proxy): checked by its __class__ name.</summary>
internal sealed record SerpentClassDict(string ClassName);

/// <summary>
/// Turns the vectors' typed notation into what <see cref="SerpentSerializer.Deserialize"/> must return: like
/// <see cref="TypedNotation"/>, plus the parts only these vectors use (complex reprs, exceptions as the raw
/// <c>__exception__</c> dict because TypedPyro never instantiates classes named by the wire).
/// </summary>
internal static class SerpentVectorValues
{
    private static readonly Regex ComplexRepr = new(@"^\((?<re>-?[0-9.e+]+?)(?<im>[+-][0-9.e]+)j\)$", RegexOptions.CultureInvariant);

    public static object? Expected(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Array:
                return e.EnumerateArray().Select(Expected).ToList();
            case JsonValueKind.Object:
                if (e.TryGetProperty("$repr", out var repr))
                {
                    string type = e.GetProperty("$type").GetString()!;
                    if (type == "builtins.complex")
                    {
                        var m = ComplexRepr.Match(repr.GetString()!);
                        if (!m.Success) throw new FormatException("complex repr " + repr);
                        return new Complex(double.Parse(m.Groups["re"].Value), double.Parse(m.Groups["im"].Value));
                    }
                    return new SerpentClassDict(type);
                }
                if (e.TryGetProperty("$exception", out var exception))
                {
                    return new Dictionary<object, object?>(PyValueComparer.Instance!)
                    {
                        ["__class__"] = exception.GetString(),
                        ["__exception__"] = true,
                        ["args"] = Expected(e.GetProperty("args")),
                        ["attributes"] = Expected(e.GetProperty("attributes")),
                    };
                }
                if (e.TryGetProperty("$tuple", out var t)) return new PyTuple(t.EnumerateArray().Select(Expected).ToArray());
                if (e.TryGetProperty("$set", out var s)) return new HashSet<object?>(s.EnumerateArray().Select(Expected), PyValueComparer.Instance);
                if (e.TryGetProperty("$dict", out var pairs))
                {
                    var d = new Dictionary<object, object?>(PyValueComparer.Instance!);
                    foreach (var pair in pairs.EnumerateArray()) d[Expected(pair[0])!] = Expected(pair[1]);
                    return d;
                }
                if (e.TryGetProperty("$bigint", out var big)) return NormalizeInt(BigInteger.Parse(big.GetString()!));
                if (e.TryGetProperty("$float", out _) || e.TryGetProperty("$bytes", out _)) return TypedNotation.ToValue(e);
                var dict = new Dictionary<object, object?>(PyValueComparer.Instance!);
                foreach (var p in e.EnumerateObject()) dict[p.Name] = Expected(p.Value);
                return dict;
            case JsonValueKind.Number:
                string raw = e.GetRawText();
                if (raw.Contains('.') || raw.Contains('e') || raw.Contains('E')) return e.GetDouble();
                return NormalizeInt(BigInteger.Parse(raw));
            default:
                return TypedNotation.ToValue(e);
        }
    }

    // TypedNotation returns BigInteger for every int (its conditional expressions convert long to BigInteger);
    // the serializer returns long when the value fits, so expectations are normalized the same way here.
    private static object NormalizeInt(BigInteger value) =>
        value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;

    /// <summary>What Deserialize must give for a serpent vector: loads_result, or raw_literal where Pyro refused the class.</summary>
    public static object? ExpectedLoad(Vector v)
    {
        var decoded = v.Decoded;
        if (decoded.TryGetProperty("raw_literal", out var raw)) return Expected(raw);
        return Expected(decoded.GetProperty("loads_result"));
    }

    /// <summary>Asserts structural equality (PyValueComparer), with the class-dict placeholder handled.</summary>
    public static void AssertMatches(object? expected, object? actual, string because)
    {
        if (expected is SerpentClassDict cls)
        {
            var dict = Assert.IsType<Dictionary<object, object?>>(actual);
            Assert.Equal(cls.ClassName, dict["__class__"]);
            return;
        }
        Assert.True(PyValueComparer.Instance.Equals(expected, actual),
            $"{because}: expected {PythonRepr.Format(expected)} but got {PythonRepr.Format(actual)}");
    }
}

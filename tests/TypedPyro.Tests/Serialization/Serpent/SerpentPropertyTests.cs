using System.Collections;
using System.Numerics;
using System.Text;
using CsCheck;
using TypedPyro.Serialization;

namespace TypedPyro.Tests.Serialization.Serpent;

/// <summary>CsCheck properties: random object-model values survive Serialize -> Deserialize exactly.</summary>
public class SerpentPropertyTests
{
    private static readonly SerpentSerializer Serpent = SerpentSerializer.Instance;

    /// <summary>Random object-model values (see <see cref="SerpentGenerators"/>).</summary>
    [Fact]
    public void Round_trip_preserves_values_exactly()
    {
        SerpentGenerators.Value(4).Sample(value =>
        {
            byte[] data = Serpent.Serialize(value);
            object? back = Serpent.Deserialize(data);
            Assert.True(SerpentGenerators.StrictEquals(value, back),
                $"round trip changed the value:\n{PythonRepr.Format(value)}\n{PythonRepr.Format(back)}\n{Encoding.UTF8.GetString(data)}");
            // and writing it again gives the same bytes
            Assert.True(data.AsSpan().SequenceEqual(Serpent.Serialize(back)));
        }, iter: 3000, print: v => PythonRepr.Format(v));
    }

    [Fact]
    public void Strings_round_trip_and_match_python_repr()
    {
        SerpentGenerators.Text.Sample(s =>
        {
            byte[] data = Serpent.Serialize(s);
            Assert.Equal(s, Serpent.Deserialize(data));
            string body = Encoding.UTF8.GetString(data.AsSpan(26));
            Assert.Equal(PythonRepr.Format(s), body);
            Assert.DoesNotContain('\n', body);
        }, iter: 20_000);
    }

    [Fact]
    public void Doubles_round_trip_bit_exactly()
    {
        Gen.Double.Sample(d =>
        {
            var back = Assert.IsType<double>(Serpent.Deserialize(Serpent.Serialize(d)));
            Assert.True(double.IsNaN(d) ? double.IsNaN(back) : BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits(back));
        }, iter: 50_000);
    }

    [Fact]
    public void Integers_round_trip_as_long_or_biginteger()
    {
        SerpentGenerators.Integer.Sample(i =>
        {
            object? back = Serpent.Deserialize(Serpent.Serialize(i));
            Assert.Equal(i, back);
            Assert.Equal(i.GetType(), back!.GetType());
        }, iter: 20_000);
    }

    [Fact]
    public void Empty_set_comes_back_as_empty_tuple()
    {
        // serpent has no empty-set literal; Python writes () and reads back an empty tuple too.
        Assert.Same(PyTuple.Empty, Serpent.Deserialize(Serpent.Serialize(new HashSet<object?>())));
    }

    [Fact]
    public void Python_repr_never_throws()
    {
        SerpentGenerators.Value(4).Sample(value => Assert.False(string.IsNullOrEmpty(PythonRepr.Format(value))), iter: 2000);
    }
}

/// <summary>Generators for the untyped object model, plus a strict structural equality for the round-trip checks.</summary>
internal static class SerpentGenerators
{
    /// <summary>Any UTF-16 text: random chars (lone surrogates included), astral code points, controls, quotes, backslashes.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (3, Gen.Char.Array[0, 12].Select(cs => new string(cs))),
        (3, Gen.Int[0, 0x10FFFF].Array[0, 8].Select(cps => string.Concat(cps.Select(cp =>
            cp is >= 0xD800 and <= 0xDFFF ? ((char)cp).ToString() : char.ConvertFromUtf32(cp))))),
        (2, Gen.Char["'\"\\\t\n\r\0\u007f\u00a0\u2028 aZé€"].Array[0, 10].Select(cs => new string(cs))),
        (1, Gen.String));

    /// <summary>long, or BigInteger when the value does not fit (the object model's rule).</summary>
    public static readonly Gen<object> Integer = Gen.Frequency(
        (3, Gen.Long.Select(l => (object)l)),
        (1, Gen.Int[-1000, 1000].Select(i => (object)(long)i)),
        (2, Gen.Byte.Array[1, 40].Select(b => Normalize(new BigInteger(b)))));

    public static readonly Gen<double> Double = Gen.Frequency(
        (4, Gen.Double),
        (1, Gen.Double.Special),
        (1, Gen.Int[-100, 100].Select(i => i / 8.0)),
        (1, Gen.OneOf(Gen.Const(double.NaN), Gen.Const(double.PositiveInfinity), Gen.Const(double.NegativeInfinity), Gen.Const(-0.0), Gen.Const(5e-324))));

    public static readonly Gen<Complex> ComplexNumber =
        Gen.Select(Double, Double, (re, im) => new Complex(re, im)).Where(z => !double.IsNaN(z.Real) && !double.IsNaN(z.Imaginary));

    /// <summary>Values usable as dict keys and set elements on both sides.</summary>
    public static readonly Gen<object> Hashable = Gen.Frequency(
        (3, Text.Select(s => (object)s)),
        (3, Integer),
        (1, Double.Select(d => (object)d)),
        (1, Gen.Bool.Select(b => (object)b)),
        (1, ComplexNumber.Select(z => (object)z)),
        (1, Gen.Select(Text, Integer, (s, i) => (object)new PyTuple(s, i, null))));

    public static readonly Gen<object?> Leaf = Gen.Frequency(
        (1, Gen.Const((object?)null)),
        (1, Gen.Bool.Select(b => (object?)b)),
        (3, Integer.Select(i => (object?)i)),
        (3, Double.Select(d => (object?)d)),
        (4, Text.Select(s => (object?)s)),
        (1, ComplexNumber.Select(z => (object?)z)));

    public static Gen<object?> Value(int depth)
    {
        if (depth == 0) return Leaf;
        Gen<object?> inner = Value(depth - 1);
        return Gen.Frequency(
            (6, Leaf),
            (1, inner.Array[0, 5].Select(items => (object?)new PyTuple(items))),
            (1, inner.List[0, 5].Select(items => (object?)items)),
            (1, Hashable.Array[1, 5].Select(items => (object?)new HashSet<object?>(items, PyValueComparer.Instance))),
            (1, Gen.Select(Hashable, inner).Array[0, 5].Select(pairs =>
            {
                var d = new Dictionary<object, object?>(PyValueComparer.Instance!);
                foreach (var (k, v) in pairs) d[k] = v;
                return (object?)d;
            })));
    }

    public static object Normalize(BigInteger value) =>
        value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;

    /// <summary>
    /// Equality stricter than <see cref="PyValueComparer"/>: same runtime types, doubles bit-identical (any NaN equals
    /// any NaN), dict entries in the same order, sequences in order, sets as sets.
    /// </summary>
    public static bool StrictEquals(object? x, object? y)
    {
        switch (x)
        {
            case null: return y is null;
            case double dx:
                return y is double dy && (double.IsNaN(dx) ? double.IsNaN(dy) : BitConverter.DoubleToInt64Bits(dx) == BitConverter.DoubleToInt64Bits(dy));
            case Complex zx:
                return y is Complex zy && StrictEquals(zx.Real, zy.Real) && StrictEquals(zx.Imaginary, zy.Imaginary);
            case PyTuple tx:
                return y is PyTuple ty && tx.Count == ty.Count && tx.Zip(ty).All(p => StrictEquals(p.First, p.Second));
            case List<object?> lx:
                return y is List<object?> ly && lx.Count == ly.Count && lx.Zip(ly).All(p => StrictEquals(p.First, p.Second));
            case HashSet<object?> sx:
                return y is HashSet<object?> sy && sx.SetEquals(sy);
            case Dictionary<object, object?> dx2:
                return y is Dictionary<object, object?> dy2 && dx2.Count == dy2.Count &&
                       dx2.Zip(dy2).All(p => StrictEquals(p.First.Key, p.Second.Key) && StrictEquals(p.First.Value, p.Second.Value));
            default:
                return y is not null && x.GetType() == y.GetType() && x.Equals(y);
        }
    }
}

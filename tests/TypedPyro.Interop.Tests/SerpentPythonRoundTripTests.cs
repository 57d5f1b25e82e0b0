using System.Diagnostics;
using System.Numerics;
using System.Text;
using CsCheck;
using TypedPyro.Serialization;

namespace TypedPyro.Interop.Tests;

/// <summary>
/// Serpent against the real Python implementation (<c>/usr/bin/python3</c> with serpent 1.41): .NET output read and
/// re-dumped by Python must be byte-identical, and Python output must be read by .NET to the same value, re-serialize
/// byte-identically and print as the same <c>repr()</c>. One Python process per batch keeps it fast.
/// </summary>
public class SerpentPythonRoundTripTests
{
    private const string Python = "/usr/bin/python3";
    private static readonly SerpentSerializer Serpent = SerpentSerializer.Instance;

    // ---- .NET -> Python -> .NET ----------------------------------------------------------------------------------

    private const string RedumpScript = """
import sys, serpent
for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    try:
        obj = serpent.loads(bytes.fromhex(line))
        print(serpent.dumps(obj, module_in_classname=True).hex())
    except Exception as e:
        print("ERR " + type(e).__name__ + ": " + str(e))
""";

    [Fact]
    public void DotNet_values_are_read_and_redumped_identically_by_python()
    {
        object?[] batch = Check.Single(Values.Value(4).Array[200]);
        byte[][] ours = batch.Select(v => Serpent.Serialize(v)).ToArray();
        string[] lines = RunPython(RedumpScript, string.Join('\n', ours.Select(Convert.ToHexString)));
        Assert.Equal(batch.Length, lines.Length);

        int identical = 0;
        for (int i = 0; i < batch.Length; i++)
        {
            string context = $"value #{i}: {PythonRepr.Format(batch[i])}\nours:   {Encoding.UTF8.GetString(ours[i])}";
            Assert.False(lines[i].StartsWith("ERR", StringComparison.Ordinal), $"Python could not read {context}\n{lines[i]}");
            byte[] theirs = Convert.FromHexString(lines[i]);
            if (Values.HasUnorderedSet(batch[i]))
            {
                // Python iterates sets in its own hash order: compare by value instead.
                object? back = Serpent.Deserialize(theirs);
                Assert.True(Values.StrictEquals(batch[i], back), $"{context}\npython: {Encoding.UTF8.GetString(theirs)}");
            }
            else
            {
                Assert.True(ours[i].AsSpan().SequenceEqual(theirs), $"{context}\npython: {Encoding.UTF8.GetString(theirs)}");
                identical++;
            }
        }
        Assert.True(identical > 100, $"only {identical} values compared byte for byte");
    }

    [Fact]
    public void DotNet_specific_types_arrive_as_python_expects()
    {
        // Values whose Python counterpart is what serpent sends for the equivalent Python type (str for dates,
        // float seconds for durations, ...): Python must read them and re-dump the very same bytes.
        object?[] values =
        [
            new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(6_789_010),
            new DateTimeOffset(2024, 1, 2, 3, 4, 5, new TimeSpan(-5, -30, 0)),
            new DateOnly(2024, 1, 2), new TimeOnly(3, 4, 5, 6), TimeSpan.FromTicks(-863_999_999_990L),
            Guid.Parse("12345678-1234-5678-1234-567812345678"), 0.0000001m, 1.10m, DayOfWeek.Friday, 'x', 0.1f,
            new Complex(1, -2.5), new[] { 1, 2 }, (1, "a"), new Dictionary<string, int> { ["a"] = 1 }, new HashSet<string> { "only" },
            ulong.MaxValue, Int128.MinValue, BigInteger.Pow(10, 4299),
        ];
        byte[][] ours = values.Select(v => Serpent.Serialize(v)).ToArray();
        string[] lines = RunPython(RedumpScript, string.Join('\n', ours.Select(Convert.ToHexString)));
        for (int i = 0; i < values.Length; i++)
        {
            Assert.False(lines[i].StartsWith("ERR", StringComparison.Ordinal), $"{values[i]}: {lines[i]}");
            Assert.Equal(Encoding.UTF8.GetString(ours[i]), Encoding.UTF8.GetString(Convert.FromHexString(lines[i])));
        }
    }

    [Fact]
    public void DotNet_bytes_are_decoded_by_serpent_tobytes()
    {
        const string script = """
import sys, serpent
for line in sys.stdin:
    line = line.strip()
    if line:
        print("bytes:" + serpent.tobytes(serpent.loads(bytes.fromhex(line))).hex())
""";
        byte[][] inputs = Check.Single(Gen.Byte.Array[0, 300].Array[50]);
        string[] lines = RunPython(script, string.Join('\n', inputs.Select(b => Convert.ToHexString(Serpent.Serialize(b)))));
        Assert.Equal(inputs.Length, lines.Length);
        for (int i = 0; i < inputs.Length; i++) Assert.Equal("bytes:" + Convert.ToHexString(inputs[i]), lines[i].ToUpperInvariant().Replace("BYTES:", "bytes:"));
    }

    // ---- Python -> .NET -----------------------------------------------------------------------------------------

    /// <summary>
    /// Python generates random values (seeded), prints serpent.dumps(v) in hex, Python's repr() of what Pyro would
    /// load (the NaN dict turned into float('nan')), and whether the value contains a set of more than one element
    /// or bytes (those do not re-serialize identically: set order is Python's hash order, and bytes arrive as a dict).
    /// Avoided on purpose (Python cannot round-trip them itself or they have no distinct .NET form): complex numbers
    /// with signed zero parts, and a high surrogate directly followed by a low surrogate (one .NET char pair).
    /// </summary>
    private const string GeneratorScript = """
import random, struct, sys, math, serpent
random.seed(int(sys.argv[1]))

def rfloat():
    k = random.random()
    if k < 0.1:
        return random.choice([0.0, -0.0, 1.0, -1.5, float('inf'), float('-inf'), float('nan'), 5e-324, 1e16, 1e-5, 0.1])
    if k < 0.4:
        return random.randint(-10**6, 10**6) / random.choice([1, 8, 10, 1000, 3])
    return struct.unpack('<d', struct.pack('<Q', random.getrandbits(64)))[0]

def rint():
    k = random.random()
    if k < 0.5:
        return random.randint(-1000, 1000)
    if k < 0.8:
        return random.randint(-2**63, 2**63)
    return random.randint(-2**400, 2**400)

def rchar():
    k = random.random()
    if k < 0.3:
        return chr(random.randint(32, 126))
    if k < 0.5:
        return random.choice("'\"\\\t\n\r\x00\x7f\xa0\xad\u2028\ufeff\U000e0001\U0001F600é€中")
    if k < 0.6:
        return chr(random.randint(0xD800, 0xDFFF))
    return chr(random.randint(0, 0x10FFFF))

def rstr():
    s = ''
    for _ in range(random.randint(0, 10)):
        c = rchar()
        if s and 0xD800 <= ord(s[-1]) <= 0xDBFF and 0xDC00 <= ord(c) <= 0xDFFF:
            continue
        s += c
    return s

def rcomplex():
    while True:
        z = complex(rfloat(), rfloat())
        if not (math.isnan(z.real) or math.isnan(z.imag) or z.real == 0 or z.imag == 0):
            return z

def rkey():
    k = random.random()
    if k < 0.5:
        return rstr()
    if k < 0.8:
        return rint()
    return (rstr(), rint())

def rvalue(depth):
    k = random.random()
    if depth == 0 or k < 0.55:
        return random.choice([lambda: None, lambda: random.random() < 0.5, rint, rfloat, rstr, rstr, rcomplex,
                              lambda: bytes(random.getrandbits(8) for _ in range(random.randint(0, 12)))])()
    n = random.randint(0, 5)
    if k < 0.65:
        return tuple(rvalue(depth - 1) for _ in range(n))
    if k < 0.75:
        return [rvalue(depth - 1) for _ in range(n)]
    if k < 0.85:
        return {rkey() for _ in range(n)}
    return {rkey(): rvalue(depth - 1) for _ in range(n)}

def pyro_loaded(x):
    if isinstance(x, dict):
        if x.get('__class__') == 'float':
            return float(x['value'])
        return {pyro_loaded(k): pyro_loaded(v) for k, v in x.items()}
    if isinstance(x, list):
        return [pyro_loaded(i) for i in x]
    if isinstance(x, tuple):
        return tuple(pyro_loaded(i) for i in x)
    return x

def unordered(x):
    if isinstance(x, (set, frozenset)):
        return len(x) > 1 or any(unordered(i) for i in x)
    if isinstance(x, bytes):
        return True
    if isinstance(x, dict):
        return any(unordered(k) or unordered(v) for k, v in x.items())
    if isinstance(x, (list, tuple)):
        return any(unordered(i) for i in x)
    return False

for _ in range(int(sys.argv[2])):
    v = rvalue(4)
    data = serpent.dumps(v, module_in_classname=True)
    text = repr(pyro_loaded(serpent.loads(data)))
    print(data.hex() + "\t" + text.encode('utf-8').hex() + "\t" + ("1" if unordered(v) else "0"))
""";

    [Fact]
    public void Python_values_are_read_by_dotnet()
    {
        int seed = Random.Shared.Next();
        string[] lines = RunPython(GeneratorScript, "", seed.ToString(), "300");
        Assert.Equal(300, lines.Length);
        int identical = 0;
        foreach (string line in lines)
        {
            string[] parts = line.Split('\t');
            byte[] data = Convert.FromHexString(parts[0]);
            string pythonRepr = Encoding.UTF8.GetString(Convert.FromHexString(parts[1]));
            bool unordered = parts[2] == "1";
            string context = $"(python seed {seed})\nserpent: {Encoding.UTF8.GetString(data)}\nrepr:    {pythonRepr}";

            object? value = Serpent.Deserialize(data);
            byte[] again = Serpent.Serialize(value);
            if (unordered)
            {
                Assert.True(PyValueComparer.Instance.Equals(value, Serpent.Deserialize(again)), context);
            }
            else
            {
                Assert.True(data.AsSpan().SequenceEqual(again), $"{context}\nours:    {Encoding.UTF8.GetString(again)}");
                Assert.Equal(pythonRepr, PythonRepr.Format(value));
                identical++;
            }
        }
        Assert.True(identical > 100, $"only {identical} values compared byte for byte");
    }

    // ---- running Python -----------------------------------------------------------------------------------------

    private static string[] RunPython(string script, string stdin, params string[] args)
    {
        RequirePythonSerpent();
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("python timed out");
        }
        Assert.True(process.ExitCode == 0, $"python failed ({process.ExitCode}): {stderr.Result}");
        return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static void RequirePythonSerpent()
    {
        const string install = "Install the Debian packages: apt-get install -y python3 python3-serpent";
        if (!File.Exists(Python)) Assert.Fail($"{Python} does not exist. {install}");
        var psi = new ProcessStartInfo(Python, ["-c", "import serpent; print(serpent.__version__)"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi)!;
        string version = process.StandardOutput.ReadToEnd().Trim();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            string reason = error.Trim().Split('\n')[^1];
            Assert.Fail($"{Python} cannot import the serpent module ({reason}). {install}");
        }
        Assert.True(version.Length > 0, "serpent reported no version");
    }
}

/// <summary>
/// Random values of the untyped object model restricted to what Python reads back as the same value: dict keys and set
/// elements are str, int or (str, int) tuples only (Python merges 1, 1.0 and True), complex numbers have no signed-zero or
/// NaN parts, no bytes (they arrive in Python as a dict).
/// </summary>
internal static class Values
{
    private static readonly Gen<string> Text = Gen.Frequency(
        (3, Gen.Char.Array[0, 10].Select(cs => new string(cs))),
        (3, Gen.Int[0, 0x10FFFF].Array[0, 8].Select(cps => string.Concat(cps.Select(cp =>
            cp is >= 0xD800 and <= 0xDFFF ? ((char)cp).ToString() : char.ConvertFromUtf32(cp))))),
        (2, Gen.Char["'\"\\\t\n\r\0\u007f\u00a0\u00ad\u2028\ufeff aé€中"].Array[0, 10].Select(cs => new string(cs))));

    private static readonly Gen<object> Integer = Gen.Frequency(
        (3, Gen.Long.Select(l => (object)l)),
        (2, Gen.Int[-1000, 1000].Select(i => (object)(long)i)),
        (2, Gen.Byte.Array[9, 60].Select(b => Normalize(new BigInteger(b)))));

    private static readonly Gen<double> Double = Gen.Frequency(
        (4, Gen.Double),
        (1, Gen.Double.Special),
        (1, Gen.Int[-100_000, 100_000].Select(i => i / 1000.0)),
        (1, Gen.OneOf(Gen.Const(double.NaN), Gen.Const(double.PositiveInfinity), Gen.Const(double.NegativeInfinity), Gen.Const(-0.0))));

    private static readonly Gen<object> Key = Gen.Frequency(
        (3, Text.Select(s => (object)s)),
        (3, Integer),
        (1, Gen.Select(Text, Integer, (s, i) => (object)new PyTuple(s, i))));

    private static readonly Gen<object?> Leaf = Gen.Frequency(
        (1, Gen.Const((object?)null)),
        (1, Gen.Bool.Select(b => (object?)b)),
        (3, Integer.Select(i => (object?)i)),
        (3, Double.Select(d => (object?)d)),
        (4, Text.Select(s => (object?)s)),
        (1, Gen.Select(Double, Double, (re, im) => new Complex(re, im))
            .Where(z => !double.IsNaN(z.Real) && !double.IsNaN(z.Imaginary) && z.Real != 0 && z.Imaginary != 0)
            .Select(z => (object?)z)));

    public static Gen<object?> Value(int depth)
    {
        if (depth == 0) return Leaf;
        Gen<object?> inner = Value(depth - 1);
        return Gen.Frequency(
            (5, Leaf),
            (1, inner.Array[0, 5].Select(items => (object?)new PyTuple(items))),
            (1, inner.List[0, 5].Select(items => (object?)items)),
            (1, Key.Array[0, 5].Select(items => (object?)new HashSet<object?>(items, PyValueComparer.Instance))),
            (1, Gen.Select(Key, inner).Array[0, 5].Select(pairs =>
            {
                var d = new Dictionary<object, object?>(PyValueComparer.Instance!);
                foreach (var (k, v) in pairs) d[k] = v;
                return (object?)d;
            })));
    }

    private static object Normalize(BigInteger value) =>
        value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;

    /// <summary>True when the value holds a set of two or more elements (written in hash order by Python).</summary>
    public static bool HasUnorderedSet(object? value) => value switch
    {
        HashSet<object?> s => s.Count > 1 || s.Any(HasUnorderedSet),
        PyTuple t => t.Any(HasUnorderedSet),
        List<object?> l => l.Any(HasUnorderedSet),
        Dictionary<object, object?> d => d.Any(e => HasUnorderedSet(e.Key) || HasUnorderedSet(e.Value)),
        _ => false,
    };

    /// <summary>Same types, doubles bit-identical (NaN equals NaN), ordered containers in order, dict entries in order.</summary>
    public static bool StrictEquals(object? x, object? y)
    {
        switch (x)
        {
            case null: return y is null;
            case double dx:
                return y is double dy && (double.IsNaN(dx) ? double.IsNaN(dy) : BitConverter.DoubleToInt64Bits(dx) == BitConverter.DoubleToInt64Bits(dy));
            case Complex zx:
                return y is Complex zy && StrictEquals(zx.Real, zy.Real) && StrictEquals(zx.Imaginary, zy.Imaginary);
            case HashSet<object?> sx:
                // an empty set travels as () and comes back as an empty tuple
                return sx.Count == 0 ? y is PyTuple { Count: 0 } : y is HashSet<object?> sy && sx.SetEquals(sy);
            case PyTuple tx:
                return y is PyTuple ty && tx.Count == ty.Count && tx.Zip(ty).All(p => StrictEquals(p.First, p.Second));
            case List<object?> lx:
                return y is List<object?> ly && lx.Count == ly.Count && lx.Zip(ly).All(p => StrictEquals(p.First, p.Second));
            case Dictionary<object, object?> dx2:
                return y is Dictionary<object, object?> dy2 && dx2.Count == dy2.Count &&
                       dx2.Zip(dy2).All(p => StrictEquals(p.First.Key, p.Second.Key) && StrictEquals(p.First.Value, p.Second.Value));
            default:
                return y is not null && x.GetType() == y.GetType() && x.Equals(y);
        }
    }
}

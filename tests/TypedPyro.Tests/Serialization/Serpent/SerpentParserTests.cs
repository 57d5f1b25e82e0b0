using System.Numerics;
using System.Text;
using CsCheck;
using TypedPyro.Serialization;

namespace TypedPyro.Tests.Serialization.Serpent;

/// <summary>
/// The serpent parser beyond the golden vectors: the lenient parts of the grammar (what Python's ast.literal_eval
/// accepts) and hostile input, which must always end in a <see cref="SerializeException"/>.
/// </summary>
public class SerpentParserTests
{
    private static readonly SerpentSerializer Serpent = SerpentSerializer.Instance;

    private static object? Parse(string text) => Serpent.Deserialize(Encoding.UTF8.GetBytes(text));

    private static void AssertParses(string text, object? expected)
    {
        object? actual = Parse(text);
        Assert.True(PyValueComparer.Instance.Equals(expected, actual),
            $"{text}: expected {PythonRepr.Format(expected)} ({expected?.GetType().Name}) but got {PythonRepr.Format(actual)} ({actual?.GetType().Name})");
    }

    private static List<object?> L(params object?[] items) => [.. items];

    [Theory]
    [InlineData("# serpent utf-8 python3.2\n42", 42L)]
    [InlineData("42", 42L)]
    [InlineData("  \t42 \n ", 42L)]
    [InlineData("# first\n# second comment\n7", 7L)]
    [InlineData("-7", -7L)]
    [InlineData("- 7", -7L)]
    [InlineData("+7", 7L)]
    [InlineData("0", 0L)]
    [InlineData("00", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("1_000_000", 1000000L)]
    [InlineData("0x1f", 31L)]
    [InlineData("0X_FF", 255L)]
    [InlineData("-0x10", -16L)]
    [InlineData("0o17", 15L)]
    [InlineData("0b101", 5L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("999999999999999999", 999999999999999999L)]
    public void Integers(string text, long expected) => AssertParses(text, expected);

    [Theory]
    [InlineData("9223372036854775808", "9223372036854775808")]
    [InlineData("-9223372036854775809", "-9223372036854775809")]
    [InlineData("18446744073709551617", "18446744073709551617")]
    [InlineData("-1267650600228229401496703205376", "-1267650600228229401496703205376")]
    [InlineData("0xFFFFFFFFFFFFFFFFFFFF", "1208925819614629174706175")]
    [InlineData("0o7777777777777777777777", "73786976294838206463")]
    [InlineData("-0b11111111111111111111111111111111111111111111111111111111111111111", "-36893488147419103231")]
    public void Big_integers(string text, string expected) => AssertParses(text, BigInteger.Parse(expected));

    [Fact]
    public void Integer_digit_limit_is_pythons()
    {
        var ok = Assert.IsType<BigInteger>(Parse(new string('9', 4300)));
        Assert.Equal(BigInteger.Pow(10, 4300) - 1, ok);
        Assert.Throws<SerializeException>(() => Parse(new string('9', 4301)));
        Assert.Throws<SerializeException>(() => Parse("0x" + new string('f', 4301)));
        // A float literal is not limited (Python neither): a long mantissa is just rounded, huge exponents saturate.
        Assert.Equal(1.0 / 3, Parse("0." + new string('3', 10000)));
        Assert.Equal(double.PositiveInfinity, Parse("1e" + new string('9', 100_000)));
        Assert.Equal(0.0, Parse("1e-" + new string('9', 100_000)));
        Assert.Equal(1e-300, Parse("0." + new string('0', 299) + "1"));
        Assert.Equal(1e300, Parse("1" + new string('0', 300) + ".0"));
    }

    [Theory]
    [InlineData("1.0", 1.0)]
    [InlineData("-2.5", -2.5)]
    [InlineData(".5", 0.5)]
    [InlineData("1.", 1.0)]
    [InlineData("1.e2", 100.0)]
    [InlineData("1e3", 1000.0)]
    [InlineData("1E+20", 1e20)]
    [InlineData("-1e-07", -1e-07)]
    [InlineData("1_0.2_5", 10.25)]
    [InlineData("007.5", 7.5)]
    [InlineData("1e-400", 0.0)]
    [InlineData("1e30000", double.PositiveInfinity)]
    [InlineData("-1e30000", double.NegativeInfinity)]
    [InlineData("1e999999999999999999", double.PositiveInfinity)]
    [InlineData("5e-324", 5e-324)]
    [InlineData("1.7976931348623157e+308", double.MaxValue)]
    public void Floats(string text, double expected) => AssertParses(text, expected);

    [Fact]
    public void Negative_zero_keeps_its_sign()
    {
        Assert.True(double.IsNegative(Assert.IsType<double>(Parse("-0.0"))));
        Assert.False(double.IsNegative(Assert.IsType<double>(Parse("0.0"))));
    }

    [Theory]
    [InlineData("(1.0+2.0j)", 1.0, 2.0)]
    [InlineData("(3.0-4.5j)", 3.0, -4.5)]
    [InlineData("(-1-1j)", -1.0, -1.0)]
    [InlineData("1+2j", 1.0, 2.0)]
    [InlineData("( 1.5 + 2J )", 1.5, 2.0)]
    [InlineData("2j", 0.0, 2.0)]
    [InlineData("(1e30000-1e30000j)", double.PositiveInfinity, double.NegativeInfinity)]
    [InlineData("(18446744073709551617+1j)", 18446744073709551617.0, 1.0)]
    public void Complex_numbers(string text, double re, double im) => AssertParses(text, new Complex(re, im));

    [Fact]
    public void Complex_negative_zero_imaginary_part_round_trips()
    {
        var z = Assert.IsType<Complex>(Parse("(1.0-0.0j)"));
        Assert.True(double.IsNegative(z.Imaginary));
        var neg = Assert.IsType<Complex>(Parse("-2j")); // Python: -(0+2j) = (-0-2j)
        Assert.True(double.IsNegative(neg.Real));
        Assert.Equal(-2.0, neg.Imaginary);
    }

    [Theory]
    [InlineData("'abc'", "abc")]
    [InlineData("\"abc\"", "abc")]
    [InlineData("''", "")]
    [InlineData("\"it's\"", "it's")]
    [InlineData("'say \"hi\"'", "say \"hi\"")]
    [InlineData("'it\\'s'", "it's")]
    [InlineData("u'x'", "x")]
    [InlineData("U\"x\"", "x")]
    [InlineData("r'a\\b\\'c'", "a\\b\\'c")]
    [InlineData("R'\\n'", "\\n")]
    [InlineData("'\\x41\\u00e9\\U0001F600'", "Aé😀")]
    [InlineData("'\\101\\0\\7\\777'", "A\0\a\u01FF")]
    [InlineData("'\\a\\b\\f\\v\\t\\n\\r\\\\'", "\a\b\f\v\t\n\r\\")]
    [InlineData("'a\\\nb'", "ab")]
    [InlineData("'a\\\r\nb'", "ab")]
    [InlineData("'\\\n'", "")]
    [InlineData("'tab\there'", "tab\there")]
    [InlineData("'Grüße € 中文 😀'", "Grüße € 中文 😀")]
    [InlineData("'\\ud83d\\ude00'", "😀")]
    public void Strings(string text, string expected) => AssertParses(text, expected);

    [Fact]
    public void Lone_surrogate_escapes_are_kept()
    {
        // (Not InlineData: attribute strings cannot carry lone surrogates.)
        Assert.Equal(new string((char)0xD800, 1), Parse("'\\ud800'"));
        Assert.Equal(new string([(char)0xDFFF, (char)0xD800]), Parse("'\\udfff\\ud800'"));
        Assert.Equal(new string([(char)0xDC00, 'x']), Parse("'\\udc00x'"));
    }

    [Theory]
    [InlineData("b'abc'", "616263")]
    [InlineData("B\"\"", "")]
    [InlineData("b'\\x00\\xff\\n\\\\'", "00ff0a5c")]
    [InlineData("b'\\777\\101'", "ff41")]
    [InlineData("br'\\x00'", "5c783030")]
    [InlineData("Rb'\\n'", "5c6e")]
    [InlineData("b'\\\n'", "")]
    public void Bytes_literals(string text, string hex) => AssertParses(text, Convert.FromHexString(hex));

    [Fact]
    public void Long_strings_with_and_without_escapes()
    {
        string plain = new string('x', 100_000) + "é";
        Assert.Equal(plain, Parse("'" + plain + "'"));
        string escaped = string.Concat(Enumerable.Repeat("ab\\n\\x00€", 20_000));
        Assert.Equal(string.Concat(Enumerable.Repeat("ab\n\0€", 20_000)), Parse("'" + escaped + "'"));
    }

    [Fact]
    public void Containers_and_whitespace()
    {
        AssertParses("[]", L());
        AssertParses("[ 1 , 2 , ]", L(1L, 2L));
        AssertParses("[\r\n  1,\r\n  2\r\n]", L(1L, 2L));
        AssertParses("[1, # one\n 2 # two\n]", L(1L, 2L));
        AssertParses("()", PyTuple.Empty);
        AssertParses("(1,)", new PyTuple(1L));
        AssertParses("(1, 2,)", new PyTuple(1L, 2L));
        AssertParses("((1,),)", new PyTuple(new PyTuple(1L)));
        AssertParses("(1)", 1L);
        AssertParses("((('x')))", "x");
        AssertParses("{}", new Dictionary<object, object?>());
        AssertParses("{'a': 1, }", new Dictionary<object, object?> { ["a"] = 1L });
        AssertParses("{1, 2, }", new HashSet<object?>([1L, 2L], PyValueComparer.Instance));
        AssertParses("set()", new HashSet<object?>(PyValueComparer.Instance));
        AssertParses("set ( )", new HashSet<object?>(PyValueComparer.Instance));
        AssertParses("[None, True, False]", L(null, true, false));
        AssertParses("{None}", new HashSet<object?>([null], PyValueComparer.Instance));
        AssertParses("[1,\\\n2]", L(1L, 2L));
    }

    [Fact]
    public void Dict_keys_and_order()
    {
        var dict = Assert.IsType<Dictionary<object, object?>>(Parse("{(1,'a'):'t',2.5:'f',True:'b',3:'i','s':None}"));
        Assert.Equal("t", dict[new PyTuple(1L, "a")]);
        Assert.Equal("f", dict[2.5]);
        Assert.Equal("b", dict[true]);
        Assert.Equal("i", dict[3L]);
        Assert.Null(dict["s"]);
        Assert.Equal(new object[] { new PyTuple(1L, "a"), 2.5, true, 3L, "s" }, dict.Keys.ToArray());

        // A repeated key keeps its first position and takes the last value, as in Python.
        var repeated = Assert.IsType<Dictionary<object, object?>>(Parse("{'a':1,'b':2,'a':3}"));
        Assert.Equal(new object[] { "a", "b" }, repeated.Keys.ToArray());
        Assert.Equal(3L, repeated["a"]);

        var bytesKey = Assert.IsType<Dictionary<object, object?>>(Parse("{b'k':1}"));
        Assert.Equal(1L, bytesKey["k"u8.ToArray()]);
    }

    [Fact]
    public void Nan_class_dict_becomes_nan_at_any_depth()
    {
        AssertParses("{'__class__':'float','value':'nan'}", double.NaN);
        AssertParses("[{'__class__':'float','value':'nan'}]", L(double.NaN));
        AssertParses("{'x':({'value':'nan','__class__':'float'},)}", new Dictionary<object, object?> { ["x"] = new PyTuple(double.NaN) });
        AssertParses("{ '__class__' : 'float' , 'value' : 'nan' , }", double.NaN);
        // Pyro's rule is float(value) for any __class__ 'float' dict.
        AssertParses("{'__class__':'float','value':'-inf'}", double.NegativeInfinity);
        AssertParses("{'__class__':'float','value':' 1.5 '}", 1.5);
        // Anything else stays a dict.
        Assert.IsType<Dictionary<object, object?>>(Parse("{'__class__':'float','value':'bogus'}"));
        Assert.IsType<Dictionary<object, object?>>(Parse("{'__class__':'float'}"));
        Assert.IsType<Dictionary<object, object?>>(Parse("{'__class__':'float','value':1}"));
        Assert.IsType<Dictionary<object, object?>>(Parse("{'__class__':'builtins.float','value':'nan'}"));
        var uri = Assert.IsType<Dictionary<object, object?>>(Parse("{'__class__':'Pyro4.core.URI','state':('PYRO','obj',None,'h',1)}"));
        Assert.Equal("Pyro4.core.URI", uri["__class__"]);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_accepted()
    {
        string ok = new string('[', 1000) + new string(']', 1000);
        object? value = Parse(ok);
        for (int i = 0; i < 999; i++) value = Assert.Single(Assert.IsType<List<object?>>(value));
        Assert.Empty(Assert.IsType<List<object?>>(value));

        var shallow = new SerpentSerializer(maxDepth: 3);
        Assert.NotNull(shallow.Deserialize("[([1],)]"u8));
        Assert.Throws<SerializeException>(() => shallow.Deserialize("[([[1]],)]"u8));
    }

    [Theory]
    [InlineData("[", 100_000)]
    [InlineData("(", 100_000)]
    [InlineData("{", 100_000)]
    [InlineData("{'a':", 50_000)]
    [InlineData("[", 1001)]
    public void Deep_nesting_is_refused_without_stack_overflow(string open, int count)
    {
        string text = string.Concat(Enumerable.Repeat(open, count)) + "1";
        var ex = Assert.Throws<SerializeException>(() => Parse(text));
        Assert.Contains("nesting", ex.Message);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   \n\t ", "empty")]
    [InlineData("# serpent utf-8 python3.2\n", "empty")]
    [InlineData("[1,2", "unterminated")]
    [InlineData("[1,,2]", "unexpected")]
    [InlineData("[,]", "unexpected")]
    [InlineData("[1 2]", "expected")]
    [InlineData("(1,2", "unterminated")]
    [InlineData("(1 2)", "expected")]
    [InlineData("{1:2", "unterminated")]
    [InlineData("{1:}", "unexpected")]
    [InlineData("{:1}", "unexpected")]
    [InlineData("{1:2,3}", "expected ':'")]
    [InlineData("{1,2:3}", "expected")]
    [InlineData("'abc", "unterminated")]
    [InlineData("\"abc", "unterminated")]
    [InlineData("'abc\"", "unterminated")]
    [InlineData("'a\nb'", "unterminated")]
    [InlineData("'''x'''", "triple")]
    [InlineData("1 2", "after the value")]
    [InlineData("[1] x", "after the value")]
    [InlineData("None None", "after the value")]
    [InlineData("nothing", "unknown name")]
    [InlineData("none", "unknown name")]
    [InlineData("true", "unknown name")]
    [InlineData("inf", "unknown name")]
    [InlineData("nan", "unknown name")]
    [InlineData("print(1)", "unknown name")]
    [InlineData("set(1)", "set()")]
    [InlineData("f'x'", "unknown name")]
    [InlineData("ub'x'", "unknown name")]
    [InlineData("bb'x'", "unknown name")]
    [InlineData("__import__('os')", "unknown name")]
    [InlineData("1abc", "malformed number")]
    [InlineData("1.2.3", "malformed number")]
    [InlineData("1e", "malformed exponent")]
    [InlineData("1e+", "malformed exponent")]
    [InlineData(".", "malformed")]
    [InlineData("-", "sign")]
    [InlineData("--1", "sign")]
    [InlineData("-'a'", "sign")]
    [InlineData("007", "leading zeros")]
    [InlineData("0x", "malformed")]
    [InlineData("0b2", "malformed")]
    [InlineData("0o8", "malformed")]
    [InlineData("1__0", "malformed")]
    [InlineData("1_", "malformed")]
    [InlineData("1+2", "complex")]
    [InlineData("1.5-2", "complex")]
    [InlineData("2j+1", "after the value")]
    [InlineData("1+-2j", "complex")]
    [InlineData("1+'a'", "complex")]
    [InlineData("'\\x4'", "truncated")]
    [InlineData("'\\x4g'", "truncated")]
    [InlineData("'\\u12'", "truncated")]
    [InlineData("'\\U00110000'", "illegal")]
    [InlineData("'\\q'", "invalid escape")]
    [InlineData("'\\N{DASH}'", "named")]
    [InlineData("b'\\u1234'", "invalid escape")]
    [InlineData("'\\'", "unterminated")]
    [InlineData("'abc\\", "unterminated")]
    [InlineData("b'é'", "ASCII")]
    [InlineData("b'\\x00é'", "ASCII")]
    [InlineData("{[1]:2}", "unhashable")]
    [InlineData("{{}:1}", "unhashable")]
    [InlineData("{[1]}", "unhashable")]
    [InlineData("{1,{2}}", "unhashable")]
    [InlineData("{(1,[2]):3}", "unhashable")]
    [InlineData("{None:1}", "None")]
    [InlineData("é", "non-ASCII")]
    [InlineData("\uFEFF1", "non-ASCII")]
    [InlineData("@", "unexpected character")]
    [InlineData("[1]]", "after the value")]
    [InlineData("...", "malformed")]
    public void Malformed_input_is_a_serialize_exception(string text, string messagePart)
    {
        var ex = Assert.Throws<SerializeException>(() => Parse(text));
        Assert.Contains(messagePart, ex.Message);
        Assert.Contains("at byte", ex.Message);
    }

    [Theory]
    [InlineData("27ff27")]           // '\xff' : invalid UTF-8
    [InlineData("27c327")]           // truncated 2-byte sequence
    [InlineData("27eda08027")]       // UTF-8-encoded surrogate (Python's decoder refuses it too)
    [InlineData("27c0af27")]         // overlong encoding
    [InlineData("27f4908080")]       // above U+10FFFF, unterminated
    [InlineData("27610062275c")]     // raw NUL inside a string (Python's serpent.loads refuses any NUL)
    [InlineData("00")]
    [InlineData("5b312c00325d")]     // [1,\0 2]
    [InlineData("2761275c786666")]   // 'a'\xff ... trailing garbage
    public void Invalid_bytes_are_a_serialize_exception(string hex)
    {
        Assert.Throws<SerializeException>(() => Serpent.Deserialize(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Error_messages_give_the_position()
    {
        var ex = Assert.Throws<SerializeException>(() => Parse("# serpent utf-8 python3.2\n[1,2,@]"));
        Assert.Contains("at byte 31", ex.Message);
        Assert.Contains("'@]'", ex.Message);
    }

    [Fact]
    public void Random_bytes_never_throw_anything_but_serialize_exception()
    {
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            try
            {
                Serpent.Deserialize(bytes);
            }
            catch (SerializeException)
            {
            }
        }, iter: 20_000);
    }

    private static readonly byte[] Alphabet = "[](){},:'\"\\#-+.0123456789eEjJxobNTFnrtu_ \n\r\t\x00\xc3\xa9"u8.ToArray();

    [Fact]
    public void Random_token_soup_never_throws_anything_but_serialize_exception()
    {
        Gen.Int[0, Alphabet.Length - 1].Array[0, 80].Select(ix => ix.Select(i => Alphabet[i]).ToArray()).Sample(bytes =>
        {
            try
            {
                Serpent.Deserialize(bytes);
            }
            catch (SerializeException)
            {
            }
        }, iter: 50_000);
    }

    [Fact]
    public void Mutated_valid_documents_never_throw_anything_but_serialize_exception()
    {
        byte[] valid = Serpent.Serialize(new Dictionary<object, object?>
        {
            ["list"] = new List<object?> { 1L, -2.5, "x'y\"z\\", new PyTuple(1L, null), new byte[] { 0, 255 } },
            [new PyTuple(1L, "k")] = new HashSet<object?>([1L, "a"]),
            ["nan"] = double.NaN,
            ["c"] = new Complex(1, -2),
            ["big"] = BigInteger.Pow(3, 100),
            ["u"] = "é\u2028😀\ud800",
        });
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte, Gen.Int[0, 2]).Array[1, 4].Sample(mutations =>
        {
            byte[] data = (byte[])valid.Clone();
            int length = data.Length;
            foreach (var (index, value, kind) in mutations)
            {
                if (index >= length) continue;
                if (kind == 0) data[index] = value;                  // replace
                else if (kind == 1) length = index;                  // truncate
                else data[index] = Alphabet[value % Alphabet.Length]; // replace with a token byte
            }
            try
            {
                Serpent.Deserialize(data.AsSpan(0, length));
            }
            catch (SerializeException)
            {
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Large_documents_parse()
    {
        var items = Enumerable.Range(0, 200_000).Select(i => (object?)(long)i).ToList();
        byte[] data = Serpent.Serialize(items);
        var back = Assert.IsType<List<object?>>(Serpent.Deserialize(data));
        Assert.Equal(items, back);
    }
}

using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace TypedPyro.Serialization;

/// <summary>
/// Parses serpent text (a Python literal expression, UTF-8) straight from bytes into the untyped object model.
/// Accepts the grammar of the spec (section 4.1) plus what Python's <c>ast.literal_eval</c> accepts for literals:
/// comments anywhere, any whitespace, trailing commas, parenthesized values, <c>u''</c>/<c>r''</c>/<c>b''</c>
/// prefixes, octal/hex/binary ints, underscores in numbers, <c>set()</c>.
/// Hostile input gets a <see cref="SerializeException"/> with the byte offset; nesting is capped; nothing is
/// allocated in proportion to a number the input merely claims.
/// </summary>
internal ref struct SerpentReader
{
    private static readonly SearchValues<byte> StopInSingleQuotes = SearchValues.Create("'\\\n\r\0"u8);
    private static readonly SearchValues<byte> StopInDoubleQuotes = SearchValues.Create("\"\\\n\r\0"u8);

    // Shared boxes for the most common scalars (the values are immutable, so sharing them is safe).
    private static readonly object True = true;
    private static readonly object False = false;
    private static readonly object[] SmallInts = CreateSmallInts();

    private static readonly System.Collections.ObjectModel.ReadOnlyDictionary<object, object?> EmptyKeywords = System.Collections.ObjectModel.ReadOnlyDictionary<object, object?>.Empty;

    /// <summary>True for the shared empty dict <see cref="TryReadCall"/> reads an empty kwargs <c>{}</c> as.</summary>
    public static bool IsEmptyKeywords(object? kwargs) => ReferenceEquals(kwargs, EmptyKeywords);

    private static readonly SearchValues<byte> Base64Alphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="u8);

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _maxDepth;

    // Set when the payload stays untouched while the call runs: bulk positional bytes arguments are borrowed, not decoded.
    private readonly ReadOnlyMemory<byte> _source;
    private bool _borrowing;
    private int _borrowDepth; // where a bytes form is borrowed: 2 for a call's positional arguments, 0 for a reply's value
    private int _pos;
    private int _depth;

    // One value stack for the whole parse: container items are pushed here and copied once into a right-sized
    // container when it closes. Each thread keeps one between parses (taken out while in use); a plain thread-static
    // is cheaper to reach than the shared array pool's per-thread storage.
    [ThreadStatic] private static object?[]? t_stack;
    private const int KeptStackSize = 4096;
    private object?[]? _stack; // taken on the first push: a call of plain scalar arguments never needs it
    private int _sp;
    private int _highWater;

    // Scratch for strings that contain escapes.
    private char[]? _chars;
    private int _charCount;

    public SerpentReader(ReadOnlySpan<byte> data, int maxDepth)
    {
        _data = data;
        _maxDepth = maxDepth;
        _pos = 0;
        _depth = 0;
        _stack = null;
        _sp = 0;
        _highWater = 0;
        _chars = null;
        _charCount = 0;
        _source = default;
        _borrowing = false;
        _borrowDepth = 2;
    }

    /// <summary>
    /// A reader whose <see cref="TryReadCall"/> leaves bulk bytes arguments in <paramref name="source"/>
    /// (<see cref="BorrowedBytes"/>) when <paramref name="borrow"/>; without it, a reader as any other.
    /// </summary>
    public SerpentReader(ReadOnlyMemory<byte> source, int maxDepth, bool borrow)
        : this(source.Span, maxDepth)
    {
        if (borrow) _source = source;
    }

    /// <summary>
    /// <see cref="ReadDocument"/> for a reply whose caller wants bytes: serpent's bulk bytes form as the whole value
    /// comes back as <see cref="BorrowedBytes"/> (undecoded, in the source) when the reader was given the source.
    /// </summary>
    public object? ReadBytesDocument()
    {
        _borrowing = !_source.IsEmpty;
        _borrowDepth = 0;
        return ReadDocument();
    }

    /// <summary>Parses the whole input: an optional header comment, one value, nothing else but whitespace and comments.</summary>
    public object? ReadDocument()
    {
        try
        {
            SkipSpace();
            if (_pos >= _data.Length) throw Error("no value in the data (empty document)");
            object? value = ReadValue();
            SkipSpace();
            if (_pos < _data.Length) throw Error("unexpected data after the value");
            return value;
        }
        finally
        {
            ReturnBuffers();
        }
    }

    /// <summary>
    /// Parses an INVOKE document, <c>(objectId, method, vargs, kwargs)</c>, without building the outer tuple, and
    /// reads an empty kwargs dict as a shared empty one. False when the document has another shape: the caller then parses it whole.
    /// When <paramref name="arguments"/> is given, the call's head is matched against the one it remembers, and a
    /// positional arguments tuple is read into it (numbers unboxed) and returned as <paramref name="args"/>, unless
    /// <paramref name="argumentsOutliveCall"/>.
    /// </summary>
    public bool TryReadCall(out object? objectId, out object? method, out object? args, out object? kwargs, CallArguments? arguments = null, bool argumentsOutliveCall = false)
    {
        objectId = method = args = kwargs = null;
        try
        {
            if (arguments is not null && arguments.TryMatchHead(_data, out int headLength, out string? knownObjectId, out string? knownMethod))
            {
                // The same bytes as the connection's last call up to its arguments: the same object and method.
                (objectId, method) = (knownObjectId, knownMethod);
                _pos = headLength;
                _depth = 1;
                SkipSpace();
            }
            else if (!TryReadCallHead(arguments, out objectId, out method))
            {
                return false;
            }
            _borrowing = !_source.IsEmpty;
            // A batch's entries as calls only for the daemon (it passes its reading state); the public reader keeps the object model.
            args = arguments is not null && method is "<batch>" && objectId is string batchTarget && TryReadBatch(batchTarget) is { } batch ? batch
                : arguments is not null && !argumentsOutliveCall && TryReadArguments(arguments) ? arguments : ReadValue();
            _borrowing = false;
            if (!SkipComma()) return false;
            kwargs = SkipEmptyDict() ? EmptyKeywords : ReadValue();
            if (SkipComma() && _pos < _data.Length && _data[_pos] != ')') return false;
            if (_pos >= _data.Length || _data[_pos] != ')') return false;
            _pos++;
            _depth--;
            SkipSpace();
            if (_pos < _data.Length) throw Error("unexpected data after the value");
            return true;
        }
        finally
        {
            ReturnBuffers();
        }
    }

    /// <summary>
    /// Reads a call's head, <c>('obj','method',</c>, and remembers it in <paramref name="arguments"/>. Out of line: a
    /// connection's calls mostly repeat the head (<see cref="CallArguments.TryMatchHead"/>), and the daemon's request
    /// handler, into which all of this is inlined, is the smaller for it.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private bool TryReadCallHead(CallArguments? arguments, out object? objectId, out object? method)
    {
        objectId = method = null;
        SkipSpace();
        if (_pos >= _data.Length || _data[_pos] != '(') return false;
        Enter(_pos++);
        SkipSpace();
        objectId = ReadCallName();
        if (!SkipComma()) return false;
        method = ReadCallName();
        if (!SkipComma()) return false;
        if (arguments is not null && objectId is string id && method is string name) arguments.RememberHead(_data[.._pos], id, name);
        return true;
    }

    /// <summary>
    /// Reads a call's positional arguments tuple into <paramref name="arguments"/>, plain ints and floats without
    /// boxing them. False (and nothing read) when the value there is not a tuple, such as <c>(x)</c>: it is then
    /// read as any value is.
    /// </summary>
    private bool TryReadArguments(CallArguments arguments)
    {
        if (_pos >= _data.Length || _data[_pos] != '(') return false;
        int open = _pos++;
        Enter(open);
        arguments.Clear();
        SkipSpace();
        if (_pos < _data.Length && _data[_pos] == ')')
        {
            _pos++;
            _depth--;
            return true;
        }
        ReadArgument(arguments);
        SkipSpace();
        if (_pos < _data.Length && _data[_pos] == ')')
        {
            // One value in parentheses without a comma is that value, not a tuple.
            arguments.Clear();
            _pos = open;
            _depth--;
            return false;
        }
        while (NextItem((byte)')', open, "tuple"))
        {
            ReadArgument(arguments);
        }
        _depth--;
        return true;
    }

    /// <summary>
    /// Reads a batch call's list of <c>(method, vargs, {})</c> entries straight into calls (<see cref="BatchCalls"/>).
    /// Null, with nothing read, when any entry has another shape (keyword arguments, a list for vargs, ...): the list
    /// is then read as any value is, and the daemon interprets the entries as before.
    /// </summary>
    private BatchCalls? TryReadBatch(string objectId)
    {
        if (_pos >= _data.Length || _data[_pos] != '[') return null;
        int open = _pos++;
        int depth = _depth;
        Enter(open);
        var calls = new List<PyroCall>();
        SkipSpace();
        if (_pos < _data.Length && _data[_pos] == ']')
        {
            _pos++;
        }
        else
        {
            do
            {
                if (!TryReadBatchEntry(objectId, out var call))
                {
                    (_pos, _depth) = (open, depth);
                    return null;
                }
                calls.Add(call);
            }
            while (NextItem((byte)']', open, "list"));
        }
        _depth--;
        return new BatchCalls(calls);
    }

    /// <summary>One batch entry, <c>('method',(args...),{})</c>: the name from <see cref="CallNameCache"/>, no kwargs dict.</summary>
    private bool TryReadBatchEntry(string objectId, out PyroCall call)
    {
        call = null!;
        if (_pos >= _data.Length || _data[_pos] != '(') return false;
        int open = _pos++;
        Enter(open);
        SkipSpace();
        if (ReadCallName() is not string method || !SkipComma()) return false;
        // Only a tuple here: "(x)" is x, and anything but a sequence is the generic path's error to report.
        if (_pos >= _data.Length || _data[_pos] != '(' || ReadValue() is not IReadOnlyList<object?> args) return false;
        if (!SkipComma() || !SkipEmptyDict()) return false;
        SkipSpace();
        if (_pos < _data.Length && _data[_pos] == ',')
        {
            _pos++;
            SkipSpace();
        }
        if (_pos >= _data.Length || _data[_pos] != ')') return false;
        _pos++;
        _depth--;
        call = PyroSerializer.ToCallParts(objectId, method, args, EmptyKeywords);
        return true;
    }

    /// <summary>One positional argument: a plain decimal int or float is kept unboxed, anything else is read as a value.</summary>
    private void ReadArgument(CallArguments arguments)
    {
        int at = _pos;
        // Data that ends inside the tuple ("('o','m',(") goes to ReadValue, which reports the truncation (found by fuzzing).
        bool negative = _pos < _data.Length && _data[_pos] == '-';
        if (negative) _pos++;
        if (_pos < _data.Length && IsDigit(_data[_pos]))
        {
            var kind = ScanNumber(negative, out long integer, out double real, out _);
            int end = _pos;
            SkipSpace();
            // Not followed by a complex number's "+ 2j": the number is the whole argument.
            if (_pos >= _data.Length || _data[_pos] is not ((byte)'+' or (byte)'-'))
            {
                _pos = end;
                if (kind == ScannedNumber.Int64)
                {
                    arguments.AddInt64(integer);
                    return;
                }
                if (kind == ScannedNumber.Double)
                {
                    arguments.AddDouble(real);
                    return;
                }
            }
        }
        _pos = at;
        arguments.Add(ReadValue());
    }

    /// <summary>The object id or method name of a call: a short plain ASCII string comes from <see cref="CallNameCache"/>.</summary>
    private object? ReadCallName()
    {
        int at = _pos;
        if (TryPlainString(out int start, out int length) && length is > 0 and <= CallNameCache.MaxLength
            && !_data.Slice(start, length).ContainsAnyInRange((byte)0x80, (byte)0xFF))
            return CallNameCache.Get(_data.Slice(start, length));
        _pos = at;
        return ReadValue();
    }

    /// <summary>Skips space, a comma if there is one (true), and the space after it.</summary>
    private bool SkipComma()
    {
        SkipSpace();
        if (_pos >= _data.Length || _data[_pos] != ',') return false;
        _pos++;
        SkipSpace();
        return true;
    }

    private bool SkipEmptyDict()
    {
        if (_pos >= _data.Length || _data[_pos] != '{') return false;
        int open = _pos++;
        SkipSpace();
        if (_pos < _data.Length && _data[_pos] == '}')
        {
            _pos++;
            return true;
        }
        _pos = open;
        return false;
    }

    private void ReturnBuffers()
    {
        if (_stack is not null)
        {
            _stack.AsSpan(0, _highWater).Clear();
            if (_stack.Length <= KeptStackSize) t_stack = _stack;
            _stack = null;
        }
        if (_chars is not null) ArrayPool<char>.Shared.Return(_chars);
        _chars = null;
    }

    // ---- errors -----------------------------------------------------------------------------------------------

    private readonly SerializeException Error(string message) => Error(message, _pos);

    private readonly SerializeException Error(string message, int position)
    {
        var text = new StringBuilder();
        text.Append("serpent: ").Append(message).Append(" at byte ").Append(position);
        if (position < _data.Length)
        {
            ReadOnlySpan<byte> near = _data[position..];
            if (near.Length > 20) near = near[..20];
            text.Append(" (near ").Append(PythonRepr.Format(Encoding.UTF8.GetString(near))).Append(')');
        }
        else
        {
            text.Append(" (end of data)");
        }
        return new SerializeException(text.ToString());
    }

    // ---- tokens -----------------------------------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SkipSpace()
    {
        // Most calls find a token right there (serpent writes no space after commas): no loop then.
        if ((uint)_pos < (uint)_data.Length && _data[_pos] is > (byte)' ' and not ((byte)'#' or (byte)'\\')) return;
        SkipSpaceSlow();
    }

    private void SkipSpaceSlow()
    {
        ReadOnlySpan<byte> data = _data;
        int pos = _pos;
        while (pos < data.Length)
        {
            byte b = data[pos];
            if (b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'\f')
            {
                pos++;
            }
            else if (b == (byte)'#')
            {
                int eol = data[pos..].IndexOfAny((byte)'\n', (byte)'\r');
                pos = eol < 0 ? data.Length : pos + eol;
            }
            else if (b == (byte)'\\' && pos + 1 < data.Length && data[pos + 1] is (byte)'\n' or (byte)'\r')
            {
                pos += 2; // explicit line joining
            }
            else
            {
                break;
            }
        }
        _pos = pos;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool IsNameStart(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a' || b == '_';

    private static bool IsNameChar(byte b) => IsNameStart(b) || IsDigit(b);

    private object? ReadValue()
    {
        if (_pos >= _data.Length) throw Error("unexpected end of data, expected a value");
        byte c = _data[_pos];
        switch (c)
        {
            case (byte)'[': return ReadList();
            case (byte)'(': return ReadParenthesized();
            case (byte)'{': return ReadBraced();
            case (byte)'\'':
            case (byte)'"':
                return ReadString(isBytes: false, isRaw: false);
            case (byte)'-':
            case (byte)'+':
                _pos++;
                SkipSpace();
                if (_pos >= _data.Length || !IsNumberStart()) throw Error("a sign must be followed by a number");
                return ReadNumber(c == '-');
            default:
                if (IsDigit(c) || c == '.') return ReadNumber(negative: false);
                if (IsNameStart(c)) return ReadName();
                throw Error(c < 0x80 ? "unexpected character" : "unexpected non-ASCII character outside a string");
        }
    }

    private readonly bool IsNumberStart()
    {
        byte c = _data[_pos];
        return IsDigit(c) || (c == '.' && _pos + 1 < _data.Length && IsDigit(_data[_pos + 1]));
    }

    private object? ReadName()
    {
        int start = _pos;
        while (_pos < _data.Length && IsNameChar(_data[_pos])) _pos++;
        ReadOnlySpan<byte> name = _data[start.._pos];
        if (_pos < _data.Length && _data[_pos] is (byte)'\'' or (byte)'"' && name.Length <= 2)
        {
            bool b = false, r = false, u = false, ok = true;
            foreach (byte p in name)
            {
                switch (p | 0x20)
                {
                    case 'b' when !b: b = true; break;
                    case 'r' when !r: r = true; break;
                    case 'u' when !u: u = true; break;
                    default: ok = false; break;
                }
            }
            if (ok && !(u && (b || r))) return ReadString(isBytes: b, isRaw: r);
        }
        if (name.SequenceEqual("None"u8)) return null;
        if (name.SequenceEqual("True"u8)) return True;
        if (name.SequenceEqual("False"u8)) return False;
        if (name.SequenceEqual("set"u8))
        {
            SkipSpace();
            if (_pos < _data.Length && _data[_pos] == '(')
            {
                _pos++;
                SkipSpace();
                if (_pos < _data.Length && _data[_pos] == ')')
                {
                    _pos++;
                    return new HashSet<object?>(PyValueComparer.Instance);
                }
            }
            throw Error("only the empty set() call is a literal", start);
        }
        throw Error("unknown name (only None, True, False and set() are allowed)", start);
    }

    // ---- numbers ----------------------------------------------------------------------------------------------

    private object ReadNumber(bool negative)
    {
        object? real = ScanNumber(negative, out bool imaginary, out double imagValue);
        if (imaginary) return new Complex(negative ? -0.0 : 0.0, imagValue);

        // real (+|-) imaginary, the form serpent writes complex numbers in: (1.0+2.0j)
        int afterNumber = _pos;
        SkipSpace();
        if (_pos < _data.Length && _data[_pos] is (byte)'+' or (byte)'-')
        {
            int signPos = _pos;
            bool minus = _data[_pos] == '-';
            _pos++;
            SkipSpace();
            if (_pos >= _data.Length || !IsNumberStart()) throw Error("malformed complex number", signPos);
            ScanNumber(minus, out bool isImaginary, out double imag);
            if (!isImaginary) throw Error("malformed expression: only 'real + imaginary' sums (complex numbers) are literals", signPos);
            double re = real switch
            {
                long l => l,
                BigInteger big => (double)big,
                _ => (double)real!,
            };
            return new Complex(re, imag);
        }
        _pos = afterNumber;
        return real!;
    }

    /// <summary>Scans one unsigned number token; returns long, BigInteger or double, or sets <paramref name="imaginary"/>.</summary>
    private object? ScanNumber(bool negative, out bool imaginary, out double imagValue)
    {
        var kind = ScanNumber(negative, out long integer, out double real, out object? other);
        imaginary = kind == ScannedNumber.Imaginary;
        imagValue = imaginary ? real : 0;
        return kind switch
        {
            ScannedNumber.Int64 => (ulong)(integer + 1) < (ulong)SmallInts.Length ? SmallInts[integer + 1] : integer,
            ScannedNumber.Double => real,
            ScannedNumber.Imaginary => null,
            _ => other,
        };
    }

    private enum ScannedNumber { Int64, Double, Imaginary, Other }

    /// <summary>
    /// Scans one unsigned number token without boxing it: a 64-bit int in <paramref name="integer"/>, a float or the
    /// imaginary part in <paramref name="real"/>, a big or prefixed int in <paramref name="other"/>.
    /// </summary>
    private ScannedNumber ScanNumber(bool negative, out long integer, out double real, out object? other)
    {
        integer = 0;
        real = 0;
        other = null;
        int start = _pos;
        ReadOnlySpan<byte> data = _data;
        if (data[_pos] == '0' && _pos + 1 < data.Length && (data[_pos + 1] | 0x20) is 'x' or 'o' or 'b')
        {
            other = ScanPrefixedInt(negative);
            return ScannedNumber.Other;
        }

        bool underscores = false;
        int intDigits = ScanDigits(ref underscores);
        bool isFloat = false;
        int fracDigits = 0;
        if (_pos < data.Length && data[_pos] == '.')
        {
            isFloat = true;
            _pos++;
            fracDigits = ScanDigits(ref underscores);
        }
        if (intDigits == 0 && fracDigits == 0) throw Error("malformed number", start);
        if (_pos < data.Length && (data[_pos] | 0x20) == 'e')
        {
            isFloat = true;
            _pos++;
            if (_pos < data.Length && data[_pos] is (byte)'+' or (byte)'-') _pos++;
            if (ScanDigits(ref underscores) == 0) throw Error("malformed exponent", start);
        }
        int end = _pos;
        bool imaginary = false;
        if (_pos < data.Length && (data[_pos] | 0x20) == 'j')
        {
            imaginary = true;
            _pos++;
        }
        if (_pos < data.Length && (IsNameChar(data[_pos]) || data[_pos] == '.')) throw Error("malformed number", start);

        ReadOnlySpan<byte> token = data[start..end];
        if (isFloat || imaginary)
        {
            double d = ParseDouble(token, underscores, start);
            real = negative ? -d : d;
            return imaginary ? ScannedNumber.Imaginary : ScannedNumber.Double;
        }

        if (intDigits > PythonLiteralWriter.MaxIntDigits)
        {
            throw Error($"integer literal has {intDigits} digits; the limit is {PythonLiteralWriter.MaxIntDigits} (as in Python)", start);
        }
        if (token[0] == '0' && token.Length > 1 && token.IndexOfAnyExcept((byte)'0', (byte)'_') >= 0)
        {
            throw Error("leading zeros in decimal integer literals are not permitted", start);
        }
        if (intDigits <= 18)
        {
            long value = 0;
            foreach (byte b in token)
            {
                if (b != '_') value = value * 10 + (b - '0');
            }
            integer = negative ? -value : value;
            return ScannedNumber.Int64;
        }
        other = ParseBigDecimal(token, negative);
        return ScannedNumber.Other;
    }

    /// <summary>Digits with single underscores between them; returns the number of digits.</summary>
    private int ScanDigits(ref bool underscores)
    {
        ReadOnlySpan<byte> data = _data;
        int count = 0;
        while (_pos < data.Length)
        {
            byte b = data[_pos];
            if (IsDigit(b))
            {
                count++;
                _pos++;
            }
            else if (b == '_' && count > 0 && _pos + 1 < data.Length && IsDigit(data[_pos + 1]))
            {
                underscores = true;
                _pos++;
            }
            else
            {
                break;
            }
        }
        return count;
    }

    private readonly double ParseDouble(ReadOnlySpan<byte> token, bool underscores, int start)
    {
        const NumberStyles Styles = NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (!underscores)
        {
            if (double.TryParse(token, Styles, CultureInfo.InvariantCulture, out double d)) return d;
            throw Error("malformed float", start);
        }
        byte[]? rented = null;
        Span<byte> buffer = token.Length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(token.Length));
        try
        {
            int n = 0;
            foreach (byte b in token)
            {
                if (b != '_') buffer[n++] = b;
            }
            if (double.TryParse(buffer[..n], Styles, CultureInfo.InvariantCulture, out double d)) return d;
            throw Error("malformed float", start);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static object ParseBigDecimal(ReadOnlySpan<byte> token, bool negative)
    {
        char[]? rented = null;
        Span<char> chars = token.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(token.Length));
        try
        {
            int n = 0;
            foreach (byte b in token)
            {
                if (b != '_') chars[n++] = (char)b;
            }
            BigInteger value = BigInteger.Parse(chars[..n], NumberStyles.None, CultureInfo.InvariantCulture);
            return Normalize(negative ? -value : value);
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static object[] CreateSmallInts()
    {
        var boxes = new object[258]; // -1 .. 256
        for (int i = 0; i < boxes.Length; i++) boxes[i] = (long)(i - 1);
        return boxes;
    }

    private static object Normalize(BigInteger value) =>
        value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;

    /// <summary><c>0x..</c>, <c>0o..</c>, <c>0b..</c> integers (Python syntax, underscores allowed).</summary>
    private object ScanPrefixedInt(bool negative)
    {
        ReadOnlySpan<byte> data = _data;
        int start = _pos;
        char kind = (char)(data[_pos + 1] | 0x20);
        int radixBits = kind switch { 'x' => 4, 'o' => 3, _ => 1 };
        _pos += 2;
        int digitsStart = _pos;
        int count = 0;
        while (_pos < data.Length)
        {
            byte b = data[_pos];
            if (DigitValue(b) < (1 << radixBits))
            {
                count++;
                _pos++;
            }
            else if (b == '_' && _pos + 1 < data.Length && DigitValue(data[_pos + 1]) < (1 << radixBits))
            {
                _pos++;
            }
            else
            {
                break;
            }
        }
        if (count == 0 || (_pos < data.Length && (IsNameChar(data[_pos]) || data[_pos] == '.')))
        {
            throw Error("malformed integer literal", start);
        }
        if (count > PythonLiteralWriter.MaxIntDigits)
        {
            throw Error($"integer literal has {count} digits; the limit is {PythonLiteralWriter.MaxIntDigits}", start);
        }
        ReadOnlySpan<byte> digits = data[digitsStart.._pos];
        if (count * radixBits <= 62)
        {
            long small = 0;
            foreach (byte b in digits)
            {
                if (b != '_') small = (small << radixBits) | (long)DigitValue(b);
            }
            return negative ? -small : small;
        }
        // Expand to binary digits (every base here is a power of two) with a leading 0 so the value stays positive.
        char[] bits = ArrayPool<char>.Shared.Rent(count * radixBits + 1);
        try
        {
            int n = 0;
            bits[n++] = '0';
            foreach (byte b in digits)
            {
                if (b == '_') continue;
                int v = DigitValue(b);
                for (int i = radixBits - 1; i >= 0; i--) bits[n++] = (v >> i & 1) != 0 ? '1' : '0';
            }
            BigInteger value = BigInteger.Parse(bits.AsSpan(0, n), NumberStyles.AllowBinarySpecifier, CultureInfo.InvariantCulture);
            return Normalize(negative ? -value : value);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(bits);
        }
    }

    private static int DigitValue(byte b)
    {
        if (IsDigit(b)) return b - '0';
        int lower = b | 0x20;
        if (lower >= 'a' && lower <= 'f') return lower - 'a' + 10;
        return 99;
    }

    // ---- strings ----------------------------------------------------------------------------------------------

    private object ReadString(bool isBytes, bool isRaw)
    {
        ReadOnlySpan<byte> data = _data;
        int open = _pos;
        byte quote = data[_pos++];
        if (_pos + 1 < data.Length && data[_pos] == quote && data[_pos + 1] == quote)
        {
            throw Error("triple-quoted strings are not supported", open);
        }
        SearchValues<byte> stops = quote == '\'' ? StopInSingleQuotes : StopInDoubleQuotes;

        int first = data[_pos..].IndexOfAny(stops);
        if (first < 0) throw Error("unterminated string", open);
        if (data[_pos + first] == quote)
        {
            // Fast path: no escapes.
            ReadOnlySpan<byte> content = data.Slice(_pos, first);
            int contentStart = _pos;
            _pos += first + 1;
            if (isBytes)
            {
                int nonAscii = content.IndexOfAnyInRange((byte)0x80, (byte)0xFF);
                if (nonAscii >= 0) throw Error("bytes literals can only contain ASCII characters", contentStart + nonAscii);
                return content.ToArray();
            }
            if (!Utf8.IsValid(content)) throw Error("invalid UTF-8 in string", contentStart);
            return Encoding.UTF8.GetString(content);
        }

        _charCount = 0;
        while (true)
        {
            int rel = data[_pos..].IndexOfAny(stops);
            if (rel < 0) throw Error("unterminated string", open);
            AppendRun(data.Slice(_pos, rel), isBytes);
            _pos += rel;
            byte b = data[_pos];
            if (b == quote)
            {
                _pos++;
                break;
            }
            if (b == 0) throw Error("NUL byte in string");
            if (b != '\\') throw Error("unterminated string (line break inside a single-quoted string)", open);

            int escape = _pos++;
            if (_pos >= data.Length) throw Error("unterminated string", open);
            if (isRaw)
            {
                AppendChar('\\');
                if (data[_pos] is (byte)'\\' or (byte)'\'' or (byte)'"' or (byte)'\n' or (byte)'\r') AppendChar((char)data[_pos++]);
                continue;
            }
            ReadEscape(isBytes, escape);
        }

        ReadOnlySpan<char> chars = _chars.AsSpan(0, _charCount); // _chars is still null when only line continuations were seen
        if (isBytes)
        {
            byte[] result = new byte[chars.Length];
            for (int i = 0; i < result.Length; i++) result[i] = (byte)chars[i];
            return result;
        }
        return new string(chars);
    }

    private void ReadEscape(bool isBytes, int escape)
    {
        ReadOnlySpan<byte> data = _data;
        byte e = data[_pos++];
        switch (e)
        {
            case (byte)'\n': return; // line continuation
            case (byte)'\r':
                if (_pos < data.Length && data[_pos] == '\n') _pos++;
                return;
            case (byte)'\\': AppendChar('\\'); return;
            case (byte)'\'': AppendChar('\''); return;
            case (byte)'"': AppendChar('"'); return;
            case (byte)'a': AppendChar('\a'); return;
            case (byte)'b': AppendChar('\b'); return;
            case (byte)'f': AppendChar('\f'); return;
            case (byte)'n': AppendChar('\n'); return;
            case (byte)'r': AppendChar('\r'); return;
            case (byte)'t': AppendChar('\t'); return;
            case (byte)'v': AppendChar('\v'); return;
            case (byte)'x':
                AppendCodePoint(ReadHex(2, escape));
                return;
            case (byte)'u' when !isBytes:
                AppendCodePoint(ReadHex(4, escape));
                return;
            case (byte)'U' when !isBytes:
                int codePoint = ReadHex(8, escape);
                if (codePoint > 0x10FFFF) throw Error("illegal Unicode character in \\U escape", escape);
                AppendCodePoint(codePoint);
                return;
            case (byte)'N' when !isBytes:
                throw Error("\\N{...} named escapes are not supported", escape);
            default:
                if (e >= '0' && e <= '7')
                {
                    int value = e - '0';
                    for (int i = 0; i < 2 && _pos < data.Length && data[_pos] >= '0' && data[_pos] <= '7'; i++)
                    {
                        value = value * 8 + (data[_pos++] - '0');
                    }
                    AppendCodePoint(isBytes ? value & 0xFF : value);
                    return;
                }
                throw Error("invalid escape sequence", escape);
        }
    }

    private int ReadHex(int digits, int escape)
    {
        if (_pos + digits > _data.Length) throw Error("truncated escape sequence", escape);
        int value = 0;
        for (int i = 0; i < digits; i++)
        {
            int d = DigitValue(_data[_pos + i]);
            if (d > 15) throw Error("truncated escape sequence", escape);
            value = (value << 4) | d;
        }
        _pos += digits;
        return value;
    }

    private void EnsureChars(int extra)
    {
        int needed = _charCount + extra;
        if (_chars is null)
        {
            _chars = ArrayPool<char>.Shared.Rent(Math.Max(needed, 256));
        }
        else if (needed > _chars.Length)
        {
            char[] bigger = ArrayPool<char>.Shared.Rent(Math.Max(needed, _chars.Length * 2));
            _chars.AsSpan(0, _charCount).CopyTo(bigger);
            ArrayPool<char>.Shared.Return(_chars);
            _chars = bigger;
        }
    }

    private void AppendChar(char c)
    {
        EnsureChars(1);
        _chars![_charCount++] = c;
    }

    private void AppendCodePoint(int codePoint)
    {
        if (codePoint <= 0xFFFF)
        {
            AppendChar((char)codePoint); // includes lone surrogates from \udxxx, kept as they are
            return;
        }
        EnsureChars(2);
        codePoint -= 0x10000;
        _chars![_charCount++] = (char)(0xD800 + (codePoint >> 10));
        _chars[_charCount++] = (char)(0xDC00 + (codePoint & 0x3FF));
    }

    private void AppendRun(ReadOnlySpan<byte> run, bool isBytes)
    {
        if (run.IsEmpty) return;
        EnsureChars(run.Length);
        Span<char> dest = _chars.AsSpan(_charCount);
        if (isBytes)
        {
            int nonAscii = run.IndexOfAnyInRange((byte)0x80, (byte)0xFF);
            if (nonAscii >= 0) throw Error("bytes literals can only contain ASCII characters", _pos + nonAscii);
            for (int i = 0; i < run.Length; i++) dest[i] = (char)run[i];
            _charCount += run.Length;
            return;
        }
        OperationStatus status = Utf8.ToUtf16(run, dest, out int read, out int written, replaceInvalidSequences: false, isFinalBlock: true);
        if (status != OperationStatus.Done) throw Error("invalid UTF-8 in string", _pos + read);
        _charCount += written;
    }

    // ---- containers -------------------------------------------------------------------------------------------

    private void Enter(int open)
    {
        if (++_depth > _maxDepth) throw Error($"nesting deeper than {_maxDepth} levels", open);
        // The stack check is a runtime call: a few levels of nesting (every call has two) cannot exhaust the stack.
        if (_depth > ShallowDepth && !RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw Error("nesting too deep for the stack", open);
    }

    private const int ShallowDepth = 8;

    private void Push(object? value)
    {
        if (_stack is null) TakeStack();
        if (_sp == _stack.Length)
        {
            object?[] bigger = new object?[_stack.Length * 2];
            _stack.AsSpan(0, _sp).CopyTo(bigger);
            _stack = bigger;
        }
        _stack[_sp++] = value;
        if (_sp > _highWater) _highWater = _sp;
    }

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_stack))]
    private void TakeStack()
    {
        _stack = t_stack ?? new object?[32];
        t_stack = null;
    }

    /// <summary>After an item: skips space, then consumes a comma (true, more may follow) or the closing bracket (false).</summary>
    private bool NextItem(byte close, int open, string what)
    {
        SkipSpace();
        if (_pos >= _data.Length) throw Error($"unterminated {what}", open);
        byte b = _data[_pos];
        if (b == ',')
        {
            _pos++;
            SkipSpace();
            if (_pos < _data.Length && _data[_pos] == close)
            {
                _pos++;
                return false; // trailing comma
            }
            return true;
        }
        if (b == close)
        {
            _pos++;
            return false;
        }
        throw Error($"expected ',' or '{(char)close}' in {what}");
    }

    private List<object?> ReadList()
    {
        int open = _pos++;
        Enter(open);
        int start = _sp;
        SkipSpace();
        if (_pos < _data.Length && _data[_pos] == ']')
        {
            _pos++;
        }
        else
        {
            do
            {
                Push(ReadValue());
            }
            while (NextItem((byte)']', open, "list"));
        }
        int count = _sp - start;
        var list = new List<object?>(count);
        CollectionsMarshal.SetCount(list, count);
        _stack.AsSpan(start, count).CopyTo(CollectionsMarshal.AsSpan(list));
        _sp = start;
        _depth--;
        return list;
    }

    private object? ReadParenthesized()
    {
        int open = _pos++;
        Enter(open);
        SkipSpace();
        if (_pos < _data.Length && _data[_pos] == ')')
        {
            _pos++;
            _depth--;
            return PyTuple.Empty;
        }
        object? first = ReadValue();
        SkipSpace();
        if (_pos < _data.Length && _data[_pos] == ')')
        {
            _pos++;
            _depth--;
            return first; // a parenthesized value such as (1.0+2.0j), not a tuple
        }
        int start = _sp;
        Push(first);
        while (NextItem((byte)')', open, "tuple"))
        {
            Push(ReadValue());
        }
        var items = _stack.AsSpan(start, _sp - start).ToArray();
        _sp = start;
        _depth--;
        return new PyTuple(items);
    }

    private object? ReadBraced()
    {
        // A positional argument of a call (depth 2: inside the call tuple and the args tuple), or a reply's whole value.
        if (_borrowing && _depth == _borrowDepth && TryBorrowBase64() is { } borrowed) return borrowed;
        int open = _pos++;
        Enter(open);
        SkipSpace();
        if (_pos < _data.Length && _data[_pos] == '}')
        {
            _pos++;
            _depth--;
            return new Dictionary<object, object?>(PyValueComparer.Instance);
        }
        int start = _sp;
        int keyPos = _pos;
        object? first = ReadValue();
        SkipSpace();
        object? result;
        if (_pos < _data.Length && _data[_pos] == ':')
        {
            bool floatClass = false;
            object? key = first;
            while (true)
            {
                CheckHashable(key, keyPos, dictKey: true);
                _pos++; // ':'
                SkipSpace();
                object? value = ReadValue();
                if (value is "float" && key is "__class__") floatClass = true;
                Push(key);
                Push(value);
                if (!NextItem((byte)'}', open, "dict")) break;
                keyPos = _pos;
                key = ReadValue();
                SkipSpace();
                if (_pos >= _data.Length || _data[_pos] != ':') throw Error("expected ':' after a dict key");
            }
            result = BuildDict(start, floatClass);
        }
        else
        {
            CheckHashable(first, keyPos, dictKey: false);
            Push(first);
            while (NextItem((byte)'}', open, "set"))
            {
                int itemPos = _pos;
                object? item = ReadValue();
                CheckHashable(item, itemPos, dictKey: false);
                Push(item);
            }
            var set = new HashSet<object?>(_sp - start, PyValueComparer.Instance);
            foreach (object? item in _stack.AsSpan(start, _sp - start)) set.Add(item);
            result = set;
        }
        _sp = start;
        _depth--;
        return result;
    }

    /// <summary>
    /// Serpent's bytes form, <c>{'data': '...', 'encoding': 'base64'}</c> (any quotes and spacing), with at least
    /// <see cref="BorrowedBytes.Threshold"/> characters of plain base64, left undecoded in the source; otherwise
    /// null, and nothing consumed.
    /// </summary>
    private BorrowedBytes? TryBorrowBase64()
    {
        int open = _pos;
        _pos++;
        if (SkipString("data"u8) && SkipToken((byte)':') && TryPlainString(out int start, out int length) && length >= BorrowedBytes.Threshold
            && _data.Slice(start, length).IndexOfAnyExcept(Base64Alphabet) < 0
            && SkipToken((byte)',') && SkipString("encoding"u8) && SkipToken((byte)':') && SkipString("base64"u8))
        {
            SkipSpace();
            if (_pos < _data.Length && _data[_pos] == ',') _pos++;
            if (SkipToken((byte)'}')) return BorrowedBytes.Base64Text(_source.Slice(start, length));
        }
        _pos = open;
        return null;
    }

    /// <summary>Skips space and then <paramref name="token"/>; false when something else is there.</summary>
    private bool SkipToken(byte token)
    {
        SkipSpace();
        if (_pos >= _data.Length || _data[_pos] != token) return false;
        _pos++;
        return true;
    }

    /// <summary>Skips space and then a quoted string without escapes equal to <paramref name="text"/>.</summary>
    private bool SkipString(ReadOnlySpan<byte> text) => TryPlainString(out int start, out int length) && _data.Slice(start, length).SequenceEqual(text);

    /// <summary>Skips space and then a quoted string without escapes or prefix, giving where its content is.</summary>
    private bool TryPlainString(out int start, out int length)
    {
        SkipSpace();
        start = length = 0;
        if (_pos >= _data.Length || _data[_pos] is not ((byte)'\'' or (byte)'"')) return false;
        byte quote = _data[_pos];
        start = _pos + 1;
        int end = _data[start..].IndexOfAny(quote == '\'' ? StopInSingleQuotes : StopInDoubleQuotes);
        if (end < 0 || _data[start + end] != quote) return false;
        length = end;
        _pos = start + end + 1;
        return true;
    }

    private readonly object BuildDict(int start, bool floatClass)
    {
        int pairs = (_sp - start) / 2;
        var dict = new Dictionary<object, object?>(pairs, PyValueComparer.Instance);
        for (int i = start; i < _sp; i += 2) dict[_stack![i]!] = _stack[i + 1];
        // Pyro4's SerpentSerializer.dict_to_class: {'__class__':'float','value':'nan'} is float('nan') (at any depth).
        if (floatClass && dict.TryGetValue("value", out object? v) && v is string s && PythonFloat.TryParse(s, out double d))
        {
            return d;
        }
        return dict;
    }

    /// <summary>Python refuses unhashable dict keys and set elements (lists, dicts, sets, tuples containing them).</summary>
    private readonly void CheckHashable(object? value, int position, bool dictKey)
    {
        switch (value)
        {
            case null when dictKey:
                throw Error("None as a dict key is not supported", position);
            case List<object?>:
                throw Error("unhashable type 'list' used as a dict key or set element", position);
            case Dictionary<object, object?>:
                throw Error("unhashable type 'dict' used as a dict key or set element", position);
            case HashSet<object?>:
                throw Error("unhashable type 'set' used as a dict key or set element", position);
            case PyTuple tuple:
                foreach (object? item in tuple.AsSpan()) CheckHashable(item, position, dictKey: false);
                return;
        }
    }
}

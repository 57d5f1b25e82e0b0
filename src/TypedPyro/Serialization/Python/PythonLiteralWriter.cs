using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace TypedPyro.Serialization;

/// <summary>
/// Writes the pieces of Python literal text (UTF-8) straight into an <see cref="IBufferWriter{T}"/>: ASCII tokens,
/// ints, float reprs, str and bytes reprs. Shared by the serpent writer and <see cref="PythonRepr"/>.
/// Call <see cref="Flush"/> when done; nothing is committed to the output before that (or before the buffer fills).
/// </summary>
internal ref struct PythonLiteralWriter
{
    /// <summary>Python 3.11's default <c>sys.int_info.default_max_str_digits</c>: Python refuses to print or parse longer decimal ints.</summary>
    public const int MaxIntDigits = 4300;

    private const int MinChunk = 256;

    private static readonly SearchValues<char> SafeInSingleQuotes =
        SearchValues.Create(" !\"#$%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");
    private static readonly SearchValues<char> SafeInDoubleQuotes =
        SearchValues.Create(" !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");
    private static readonly SearchValues<byte> SafeBytesInSingleQuotes =
        SearchValues.Create(" !\"#$%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);
    private static readonly SearchValues<byte> SafeBytesInDoubleQuotes =
        SearchValues.Create(" !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _pos;

    /// <summary>Creates a writer appending to <paramref name="output"/>.</summary>
    public PythonLiteralWriter(IBufferWriter<byte> output)
    {
        _output = output;
        _span = default;
        _pos = 0;
    }

    /// <summary>Commits everything written so far to the output.</summary>
    public void Flush()
    {
        if (_pos > 0) _output.Advance(_pos);
        _pos = 0;
        _span = default;
    }

    /// <summary>A span of at least <paramref name="size"/> writable bytes at the current position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int size)
    {
        if (_span.Length - _pos < size) Grow(size);
        return _span[_pos..];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int size)
    {
        Flush();
        _span = _output.GetSpan(Math.Max(size, MinChunk));
        if (_span.Length < size) throw new InvalidOperationException("The buffer writer returned a span smaller than requested.");
    }

    /// <summary>Writes one ASCII byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(byte value)
    {
        if (_pos >= _span.Length) Grow(1);
        _span[_pos++] = value;
    }

    /// <summary>Writes raw UTF-8 bytes (typically a <c>u8</c> literal).</summary>
    public void WriteRaw(scoped ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > 4096)
        {
            Flush();
            while (!utf8.IsEmpty)
            {
                Span<byte> dest = _output.GetSpan(MinChunk);
                int n = Math.Min(dest.Length, utf8.Length);
                utf8[..n].CopyTo(dest);
                _output.Advance(n);
                utf8 = utf8[n..];
            }
            return;
        }
        utf8.CopyTo(Reserve(utf8.Length));
        _pos += utf8.Length;
    }

    /// <summary>Writes ASCII-only chars (digits, signs, letters) as bytes.</summary>
    public void WriteAscii(scoped ReadOnlySpan<char> ascii)
    {
        Span<byte> dest = Reserve(ascii.Length);
        for (int i = 0; i < ascii.Length; i++) dest[i] = (byte)ascii[i];
        _pos += ascii.Length;
    }

    /// <summary>Writes a signed integer in decimal.</summary>
    public void WriteInt64(long value)
    {
        value.TryFormat(Reserve(20), out int written, default, CultureInfo.InvariantCulture);
        _pos += written;
    }

    /// <summary>Writes an unsigned integer in decimal.</summary>
    public void WriteUInt64(ulong value)
    {
        value.TryFormat(Reserve(20), out int written, default, CultureInfo.InvariantCulture);
        _pos += written;
    }

    /// <summary>Writes a 128-bit integer in decimal.</summary>
    public void WriteInt128(Int128 value)
    {
        value.TryFormat(Reserve(40), out int written, default, CultureInfo.InvariantCulture);
        _pos += written;
    }

    /// <summary>Writes a 128-bit unsigned integer in decimal.</summary>
    public void WriteUInt128(UInt128 value)
    {
        value.TryFormat(Reserve(40), out int written, default, CultureInfo.InvariantCulture);
        _pos += written;
    }

    /// <summary>Writes an arbitrary-size integer in decimal (at most <see cref="MaxIntDigits"/> digits, like Python).</summary>
    /// <exception cref="SerializeException">The number has more digits than Python accepts.</exception>
    public void WriteBigInteger(BigInteger value, bool enforceLimit = true)
    {
        if (value >= long.MinValue && value <= long.MaxValue)
        {
            WriteInt64((long)value);
            return;
        }
        // 10^4300 needs 14285 bits; anything longer certainly exceeds the limit (checked before the costly formatting).
        if (enforceLimit && value.GetBitLength() > 14290) throw TooManyDigits();
        char[] rented = ArrayPool<char>.Shared.Rent(enforceLimit ? MaxIntDigits + 16 : (int)(value.GetBitLength() * 0.302) + 16);
        try
        {
            if (!value.TryFormat(rented, out int written, default, CultureInfo.InvariantCulture) ||
                (enforceLimit && written - (value.Sign < 0 ? 1 : 0) > MaxIntDigits))
            {
                throw TooManyDigits();
            }
            WriteAscii(rented.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static SerializeException TooManyDigits() => new(
        $"serpent: integer has more than {MaxIntDigits} decimal digits; Python refuses to convert it (sys.set_int_max_str_digits)");

    /// <summary>Writes a finite double as Python's <c>repr(float)</c>.</summary>
    public void WriteFiniteDouble(double value)
    {
        Span<char> chars = stackalloc char[40];
        int length = PythonFloat.Format(value, chars);
        WriteAscii(chars[..length]);
    }

    /// <summary>Writes a double as Python's <c>repr(float)</c>, including <c>inf</c>, <c>-inf</c> and <c>nan</c>.</summary>
    public void WriteDoubleRepr(double value)
    {
        if (double.IsNaN(value)) WriteRaw("nan"u8);
        else if (double.IsPositiveInfinity(value)) WriteRaw("inf"u8);
        else if (double.IsNegativeInfinity(value)) WriteRaw("-inf"u8);
        else WriteFiniteDouble(value);
    }

    /// <summary>
    /// Writes Python's <c>repr()</c> of a str: <c>'</c> quotes unless the text contains <c>'</c> and no <c>"</c>;
    /// <c>\\ \' \t \n \r</c>; other non-printable code points as <c>\xhh</c>, <c>\uhhhh</c> or <c>\Uhhhhhhhh</c>;
    /// printable ones literally in UTF-8. Lone surrogates are escaped (<c>\ud800</c>).
    /// </summary>
    public void WriteStringRepr(scoped ReadOnlySpan<char> text)
    {
        byte quote = (byte)'\'';
        SearchValues<char> safe = SafeInSingleQuotes;
        if (text.Contains('\'') && !text.Contains('"'))
        {
            quote = (byte)'"';
            safe = SafeInDoubleQuotes;
        }
        WriteByte(quote);
        while (!text.IsEmpty)
        {
            int special = text.IndexOfAnyExcept(safe);
            int run = special < 0 ? text.Length : special;
            if (run > 0)
            {
                WriteAsciiRun(text[..run]);
                if (special < 0) break;
                text = text[run..];
            }
            char c = text[0];
            if (c < 0x80)
            {
                WriteAsciiEscape(c, quote);
                text = text[1..];
                continue;
            }
            int codePoint = c;
            int consumed = 1;
            if (char.IsHighSurrogate(c) && text.Length > 1 && char.IsLowSurrogate(text[1]))
            {
                codePoint = char.ConvertToUtf32(c, text[1]);
                consumed = 2;
            }
            text = text[consumed..];
            if (PythonPrintable.IsPrintable(codePoint)) WriteCodePointUtf8(codePoint);
            else WriteUnicodeEscape(codePoint);
        }
        WriteByte(quote);
    }

    private void WriteAsciiRun(scoped ReadOnlySpan<char> run)
    {
        while (!run.IsEmpty)
        {
            int n = Math.Min(run.Length, 4096);
            Span<byte> dest = Reserve(n);
            System.Text.Ascii.FromUtf16(run[..n], dest, out int written);
            _pos += written;
            run = run[n..];
        }
    }

    private void WriteAsciiEscape(int c, byte quote)
    {
        switch (c)
        {
            case '\\': WriteRaw("\\\\"u8); break;
            case '\t': WriteRaw("\\t"u8); break;
            case '\n': WriteRaw("\\n"u8); break;
            case '\r': WriteRaw("\\r"u8); break;
            case '\'' when quote == '\'': WriteRaw("\\'"u8); break;
            case '"' when quote == '"': WriteRaw("\\\""u8); break; // unreachable for str (never quoted with " when it has one)
            default:
                if (c >= 0x20 && c < 0x7F) WriteByte((byte)c);
                else WriteHexEscape('x', c, 2);
                break;
        }
    }

    private void WriteUnicodeEscape(int codePoint)
    {
        if (codePoint <= 0xFF) WriteHexEscape('x', codePoint, 2);
        else if (codePoint <= 0xFFFF) WriteHexEscape('u', codePoint, 4);
        else WriteHexEscape('U', codePoint, 8);
    }

    private void WriteHexEscape(char kind, int value, int digits)
    {
        Span<byte> dest = Reserve(2 + digits);
        dest[0] = (byte)'\\';
        dest[1] = (byte)kind;
        for (int i = digits - 1; i >= 0; i--)
        {
            dest[2 + i] = (byte)"0123456789abcdef"[value & 0xF];
            value >>= 4;
        }
        _pos += 2 + digits;
    }

    private void WriteCodePointUtf8(int codePoint)
    {
        new Rune(codePoint).TryEncodeToUtf8(Reserve(4), out int written);
        _pos += written;
    }

    /// <summary>Writes Python's <c>repr()</c> of a bytes value: <c>b'...'</c> with <c>\xhh</c> for non-printable ASCII.</summary>
    public void WriteBytesRepr(scoped ReadOnlySpan<byte> data)
    {
        byte quote = (byte)'\'';
        SearchValues<byte> safe = SafeBytesInSingleQuotes;
        if (data.Contains((byte)'\'') && !data.Contains((byte)'"'))
        {
            quote = (byte)'"';
            safe = SafeBytesInDoubleQuotes;
        }
        WriteByte((byte)'b');
        WriteByte(quote);
        while (!data.IsEmpty)
        {
            int special = data.IndexOfAnyExcept(safe);
            int run = special < 0 ? data.Length : special;
            if (run > 0)
            {
                WriteRaw(data[..run]);
                if (special < 0) break;
            }
            WriteAsciiEscape(data[run], quote);
            data = data[(run + 1)..];
        }
        WriteByte(quote);
    }

    /// <summary>Writes standard base64 (with padding) of <paramref name="data"/>.</summary>
    public void WriteBase64(scoped ReadOnlySpan<byte> data)
    {
        // Room for all of it at once: a buffer grown in steps would copy bulk text over and over.
        Span<byte> dest = Reserve(Base64.GetMaxEncodedToUtf8Length(data.Length));
        Base64.EncodeToUtf8(data, dest, out _, out int written);
        _pos += written;
    }

    /// <summary>Writes a value that formats itself as ASCII (dates, guids) with an invariant culture.</summary>
    public void WriteFormatted<T>(T value, scoped ReadOnlySpan<char> format, int maxLength) where T : IUtf8SpanFormattable
    {
        if (!value.TryFormat(Reserve(maxLength), out int written, format, CultureInfo.InvariantCulture))
            throw new InvalidOperationException("formatting buffer too small");
        _pos += written;
    }

    /// <summary>Writes a non-negative integer with at least <paramref name="width"/> digits (zero padded).</summary>
    public void WritePadded(int value, int width)
    {
        Span<byte> dest = Reserve(Math.Max(width, 11));
        value.TryFormat(dest, out int written, width switch { 2 => "D2", 4 => "D4", 6 => "D6", _ => "D" }, CultureInfo.InvariantCulture);
        _pos += written;
    }

    /// <summary>Enough room for any <see cref="FormatDecimal"/> result.</summary>
    public const int MaxDecimalLength = 80;

    /// <summary>
    /// Formats a .NET decimal as Python's <c>str(Decimal)</c> (the "to-scientific-string" rule) for the same
    /// coefficient and exponent: plain notation when the exponent is &lt;= 0 and the adjusted exponent is &gt;= -6,
    /// else <c>1.5E-7</c>; trailing zeros are kept (<c>1.10</c>), as Python keeps them.
    /// </summary>
    public static int FormatDecimal(decimal value, Span<char> destination)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        bool negative = bits[3] < 0;
        int scale = (bits[3] >> 16) & 0xFF;
        UInt128 coefficient = new((ulong)(uint)bits[2], ((ulong)(uint)bits[1] << 32) | (uint)bits[0]);
        Span<char> digits = stackalloc char[40];
        coefficient.TryFormat(digits, out int length, default, CultureInfo.InvariantCulture);
        ReadOnlySpan<char> coeff = digits[..length];

        int pos = 0;
        if (negative) destination[pos++] = '-';
        int exponent = -scale;
        int leftDigits = exponent + length;
        int dotPlace = exponent <= 0 && leftDigits > -6 ? leftDigits : 1;
        if (dotPlace <= 0)
        {
            destination[pos++] = '0';
            destination[pos++] = '.';
            for (int i = 0; i < -dotPlace; i++) destination[pos++] = '0';
            coeff.CopyTo(destination[pos..]);
            pos += length;
        }
        else if (dotPlace >= length)
        {
            coeff.CopyTo(destination[pos..]);
            pos += length;
            for (int i = length; i < dotPlace; i++) destination[pos++] = '0';
        }
        else
        {
            coeff[..dotPlace].CopyTo(destination[pos..]);
            pos += dotPlace;
            destination[pos++] = '.';
            coeff[dotPlace..].CopyTo(destination[pos..]);
            pos += length - dotPlace;
        }
        if (leftDigits != dotPlace)
        {
            int e = leftDigits - dotPlace;
            destination[pos++] = 'E';
            destination[pos++] = e < 0 ? '-' : '+';
            Math.Abs(e).TryFormat(destination[pos..], out int written, default, CultureInfo.InvariantCulture);
            pos += written;
        }
        return pos;
    }
}

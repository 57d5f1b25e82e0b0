using System.Globalization;
using System.Numerics;

namespace TypedPyro.Serialization;

/// <summary>
/// Python spellings of .NET values that travel as text: <c>datetime.isoformat()</c>, <c>str(Decimal)</c>,
/// and CPython's integer/string conversion limit. Shared by the json and marshal serializers.
/// </summary>
internal static class JsonPyFormat
{
    /// <summary>
    /// CPython 3.11+ refuses to convert ints with more than this many decimal digits to or from text
    /// (<c>sys.int_info.default_max_str_digits</c>); <c>json.dumps</c>/<c>json.loads</c> then raise ValueError.
    /// </summary>
    public const int MaxIntDigits = 4300;

    /// <summary>An int with more bits than this certainly has more than <see cref="MaxIntDigits"/> digits.</summary>
    private const long MaxIntBits = 14_286; // ceil(4300 * log2(10)) = 14285

    /// <summary>Longest text <see cref="FormatDateTime"/> and <see cref="FormatDateTimeOffset"/> produce.</summary>
    public const int MaxDateTimeLength = 32;

    /// <summary>Throws when an int has more decimal digits than Python accepts as text.</summary>
    public static void CheckIntDigits(int digitCount)
    {
        if (digitCount > MaxIntDigits)
            throw new SerializeException($"integer has {digitCount} decimal digits; Python refuses ints longer than {MaxIntDigits} digits as text");
    }

    /// <summary>Formats a big integer in decimal, refusing values Python could not read back (more than 4300 digits).</summary>
    public static string FormatBigInteger(BigInteger value)
    {
        if (value.GetBitLength() > MaxIntBits)
            throw new SerializeException($"integer too large: Python refuses ints longer than {MaxIntDigits} digits as text");
        string text = value.ToString(CultureInfo.InvariantCulture);
        CheckIntDigits(value.Sign < 0 ? text.Length - 1 : text.Length);
        return text;
    }

    /// <summary>
    /// <c>datetime.isoformat()</c>: <c>YYYY-MM-DDTHH:MM:SS[.ffffff][+HH:MM]</c>, microseconds only when non-zero
    /// (100 ns ticks below a microsecond are dropped). Kind Utc gets <c>+00:00</c>, Kind Local the local offset,
    /// Kind Unspecified no offset (a naive datetime).
    /// </summary>
    public static int FormatDateTime(DateTime value, Span<char> destination)
    {
        int pos = WriteClock(value, destination);
        switch (value.Kind)
        {
            case DateTimeKind.Utc:
                pos += WriteOffset(TimeSpan.Zero, destination[pos..]);
                break;
            case DateTimeKind.Local:
                pos += WriteOffset(TimeZoneInfo.Local.GetUtcOffset(value), destination[pos..]);
                break;
        }
        return pos;
    }

    /// <summary><c>datetime.isoformat()</c> of an aware datetime: the clock time followed by <c>+HH:MM</c>.</summary>
    public static int FormatDateTimeOffset(DateTimeOffset value, Span<char> destination)
    {
        int pos = WriteClock(value.DateTime, destination);
        pos += WriteOffset(value.Offset, destination[pos..]);
        return pos;
    }

    /// <summary><c>date.isoformat()</c>: <c>YYYY-MM-DD</c>.</summary>
    public static int FormatDate(DateOnly value, Span<char> destination)
    {
        WriteDigits(destination, value.Year, 4);
        destination[4] = '-';
        WriteDigits(destination[5..], value.Month, 2);
        destination[7] = '-';
        WriteDigits(destination[8..], value.Day, 2);
        return 10;
    }

    private static int WriteClock(DateTime value, Span<char> destination)
    {
        int pos = FormatDate(DateOnly.FromDateTime(value), destination);
        destination[pos++] = 'T';
        WriteDigits(destination[pos..], value.Hour, 2);
        destination[pos + 2] = ':';
        WriteDigits(destination[(pos + 3)..], value.Minute, 2);
        destination[pos + 5] = ':';
        WriteDigits(destination[(pos + 6)..], value.Second, 2);
        pos += 8;
        int micro = (int)(value.Ticks % TimeSpan.TicksPerSecond / 10);
        if (micro != 0)
        {
            destination[pos++] = '.';
            WriteDigits(destination[pos..], micro, 6);
            pos += 6;
        }
        return pos;
    }

    private static int WriteOffset(TimeSpan offset, Span<char> destination)
    {
        destination[0] = offset < TimeSpan.Zero ? '-' : '+';
        if (offset < TimeSpan.Zero) offset = offset.Negate();
        WriteDigits(destination[1..], offset.Hours + offset.Days * 24, 2);
        destination[3] = ':';
        WriteDigits(destination[4..], offset.Minutes, 2);
        if (offset.Seconds == 0 && offset.Ticks % TimeSpan.TicksPerSecond == 0) return 6;
        // Python writes seconds (and microseconds) of odd offsets; .NET offsets are whole minutes, but TimeZoneInfo may not be.
        destination[6] = ':';
        WriteDigits(destination[7..], offset.Seconds, 2);
        int micro = (int)(offset.Ticks % TimeSpan.TicksPerSecond / 10);
        if (micro == 0) return 9;
        destination[9] = '.';
        WriteDigits(destination[10..], micro, 6);
        return 16;
    }

    private static void WriteDigits(Span<char> destination, int value, int width)
    {
        for (int i = width - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + value % 10);
            value /= 10;
        }
    }

    /// <summary>
    /// <c>str(decimal.Decimal(x))</c> for the same coefficient and exponent as the .NET decimal (trailing zeros of the
    /// scale are kept, as Python keeps them): <c>1.50m</c> -> <c>1.50</c>, <c>0.0000001m</c> -> <c>1E-7</c>.
    /// </summary>
    public static string FormatDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        bool negative = bits[3] < 0;
        int exponent = -((bits[3] >> 16) & 0xFF);
        UInt128 coefficient = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        string digits = coefficient.ToString(CultureInfo.InvariantCulture);

        // Decimal.__str__ (eng=False) from CPython's _pydecimal.
        int leftDigits = exponent + digits.Length;
        int dotPlace = exponent <= 0 && leftDigits > -6 ? leftDigits : 1;
        string intPart, fracPart;
        if (dotPlace <= 0)
        {
            intPart = "0";
            fracPart = "." + new string('0', -dotPlace) + digits;
        }
        else if (dotPlace >= digits.Length)
        {
            intPart = digits + new string('0', dotPlace - digits.Length);
            fracPart = "";
        }
        else
        {
            intPart = digits[..dotPlace];
            fracPart = "." + digits[dotPlace..];
        }
        string exp = leftDigits == dotPlace ? "" : "E" + (leftDigits - dotPlace).ToString("+0;-0", CultureInfo.InvariantCulture);
        return (negative ? "-" : "") + intPart + fracPart + exp;
    }
}

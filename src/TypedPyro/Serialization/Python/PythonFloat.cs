using System.Globalization;

namespace TypedPyro.Serialization;

/// <summary>
/// Formats doubles exactly as Python's <c>repr(float)</c> does: the shortest digits that round-trip,
/// exponent form iff the decimal exponent is &lt; -4 or &gt;= 16 (<c>1e-05</c>, <c>1e+16</c>), and a
/// <c>.0</c> on integral values in fixed form so that Python reads a float, not an int.
/// </summary>
public static class PythonFloat
{
    /// <summary>
    /// Formats a finite double. Non-finite values have serializer-specific spellings and are the
    /// caller's job; passing one throws.
    /// </summary>
    public static string Format(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), "NaN and infinities have serializer-specific forms.");
        Span<char> buffer = stackalloc char[40];
        int length = Format(value, buffer);
        return new string(buffer[..length]);
    }

    /// <summary>Formats a finite double into <paramref name="destination"/> (40 chars always suffice); returns the length.</summary>
    public static int Format(double value, Span<char> destination)
    {
        if (value == 0)
        {
            ReadOnlySpan<char> zero = double.IsNegative(value) ? "-0.0" : "0.0";
            zero.CopyTo(destination);
            return zero.Length;
        }

        // .NET Core 3.0+ "R" gives the shortest round-trip digits, in either "123.45" or "1.2345E+20" form.
        Span<char> raw = stackalloc char[32];
        value.TryFormat(raw, out int rawLength, "R", CultureInfo.InvariantCulture);
        ReadOnlySpan<char> text = raw[..rawLength];

        int pos = 0;
        bool negative = text[0] == '-';
        if (negative) text = text[1..];

        int exponent = 0;
        int e = text.IndexOfAny('E', 'e');
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        // Collect the significant digits and the position of the decimal point relative to them:
        // value = 0.d1d2...dn * 10^decimalPoint.
        Span<char> digits = stackalloc char[32];
        int digitCount = 0;
        int decimalPoint = 0;
        bool seenPoint = false;
        bool leading = true;
        foreach (char c in text)
        {
            if (c == '.') { seenPoint = true; continue; }
            if (leading && c == '0')
            {
                if (seenPoint) decimalPoint--;
                continue;
            }
            leading = false;
            digits[digitCount++] = c;
            if (!seenPoint) decimalPoint++;
        }
        while (digitCount > 1 && digits[digitCount - 1] == '0') digitCount--;
        decimalPoint += exponent;

        if (negative) destination[pos++] = '-';
        int pythonExponent = decimalPoint - 1;
        if (pythonExponent < -4 || pythonExponent >= 16)
        {
            destination[pos++] = digits[0];
            if (digitCount > 1)
            {
                destination[pos++] = '.';
                digits[1..digitCount].CopyTo(destination[pos..]);
                pos += digitCount - 1;
            }
            destination[pos++] = 'e';
            destination[pos++] = pythonExponent < 0 ? '-' : '+';
            int abs = Math.Abs(pythonExponent);
            if (abs < 10) destination[pos++] = '0';
            abs.TryFormat(destination[pos..], out int written, default, CultureInfo.InvariantCulture);
            pos += written;
        }
        else if (decimalPoint <= 0)
        {
            destination[pos++] = '0';
            destination[pos++] = '.';
            for (int i = 0; i < -decimalPoint; i++) destination[pos++] = '0';
            digits[..digitCount].CopyTo(destination[pos..]);
            pos += digitCount;
        }
        else if (decimalPoint >= digitCount)
        {
            digits[..digitCount].CopyTo(destination[pos..]);
            pos += digitCount;
            for (int i = digitCount; i < decimalPoint; i++) destination[pos++] = '0';
            destination[pos++] = '.';
            destination[pos++] = '0';
        }
        else
        {
            digits[..decimalPoint].CopyTo(destination[pos..]);
            pos += decimalPoint;
            destination[pos++] = '.';
            digits[decimalPoint..digitCount].CopyTo(destination[pos..]);
            pos += digitCount - decimalPoint;
        }
        return pos;
    }

    /// <summary>
    /// Python's <c>float(text)</c> for the spellings Pyro peers put on the wire (json, marshal, serpent's float
    /// dicts): decimal literals and <c>nan</c>/<c>inf</c>/<c>infinity</c> with optional sign, any case, surrounding
    /// whitespace. (Configuration text has its own, fuller parse: Python's underscores, in PythonText.)
    /// </summary>
    internal static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        text = text.Trim();
        ReadOnlySpan<char> body = text;
        bool negative = false;
        if (!body.IsEmpty && (body[0] == '+' || body[0] == '-'))
        {
            negative = body[0] == '-';
            body = body[1..];
        }
        if (body.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }
        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        // .NET would also accept "∞", "NaN" spelled by the culture, thousands separators etc.; only digits reach here.
        foreach (char c in body)
        {
            if (!(char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-')) { value = 0; return false; }
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}

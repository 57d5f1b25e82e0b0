using System.Globalization;
using System.Numerics;
using System.Text;

namespace TypedPyro;

/// <summary>
/// Python's text rules that URIs and configuration depend on: what <c>str.isspace()</c> / regex <c>\s</c>
/// call whitespace, how <c>int(str)</c> and <c>float(str)</c> read numbers, and <c>repr(str)</c>.
/// </summary>
internal static class PythonText
{
    /// <summary>Python's <c>str.isspace()</c> (also regex <c>\s</c> on str patterns): includes U+001C..U+001F.</summary>
    public static bool IsSpace(char c) => c switch
    {
        >= '\t' and <= '\r' => true,
        >= '\x1c' and <= ' ' => true,
        '\x85' or '\xa0' or '\u1680' => true,
        >= '\u2000' and <= '\u200a' => true,
        '\u2028' or '\u2029' or '\u202f' or '\u205f' or '\u3000' => true,
        _ => false,
    };

    /// <summary>
    /// Python's <c>int(text)</c> (base 10): surrounding whitespace, a sign, any Unicode decimal digits and
    /// single underscores between digits are accepted.
    /// </summary>
    public static bool TryParseInt(string text, out BigInteger value)
    {
        value = default;
        if (!TryNormalize(text, out var s)) return false;
        int pos = 0;
        bool negative = false;
        if (pos < s.Length && (s[pos] == '+' || s[pos] == '-'))
        {
            negative = s[pos] == '-';
            pos++;
        }
        if (pos == s.Length || !DigitsWithUnderscores(s, pos, s.Length)) return false;
        BigInteger result = BigInteger.Zero;
        for (int i = pos; i < s.Length; i++)
        {
            if (s[i] != '_') result = result * 10 + (s[i] - '0');
        }
        value = negative ? -result : result;
        return true;
    }

    /// <summary>Python's <c>int(text)</c> limited to the <see cref="int"/> range.</summary>
    public static bool TryParseInt32(string text, out int value)
    {
        value = 0;
        if (!TryParseInt(text, out var big) || big < int.MinValue || big > int.MaxValue) return false;
        value = (int)big;
        return true;
    }

    /// <summary>
    /// Python's <c>float(text)</c>: surrounding whitespace, a sign, <c>inf</c>/<c>infinity</c>/<c>nan</c> in any case,
    /// decimal notation with optional fraction and exponent, Unicode decimal digits and underscores between digits.
    /// Too large values become infinities, as in Python.
    /// </summary>
    public static bool TryParseFloat(string text, out double value)
    {
        value = 0;
        if (!TryNormalize(text, out var s)) return false;
        int pos = 0;
        bool negative = false;
        if (pos < s.Length && (s[pos] == '+' || s[pos] == '-'))
        {
            negative = s[pos] == '-';
            pos++;
        }
        var body = s[pos..];
        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        if (body.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }

        // Underscores only between two digits; then: digits? ['.' digits?] [e [sign] digits], with a mantissa digit.
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '_' && (i == 0 || i == s.Length - 1 || !char.IsAsciiDigit(s[i - 1]) || !char.IsAsciiDigit(s[i + 1]))) return false;
        }
        var clean = body.Replace("_", "", StringComparison.Ordinal);
        int p = 0;
        int mantissaDigits = 0;
        while (p < clean.Length && char.IsAsciiDigit(clean[p])) { p++; mantissaDigits++; }
        if (p < clean.Length && clean[p] == '.')
        {
            p++;
            while (p < clean.Length && char.IsAsciiDigit(clean[p])) { p++; mantissaDigits++; }
        }
        if (mantissaDigits == 0) return false;
        if (p < clean.Length && (clean[p] == 'e' || clean[p] == 'E'))
        {
            p++;
            if (p < clean.Length && (clean[p] == '+' || clean[p] == '-')) p++;
            int exponentDigits = 0;
            while (p < clean.Length && char.IsAsciiDigit(clean[p])) { p++; exponentDigits++; }
            if (exponentDigits == 0) return false;
        }
        if (p != clean.Length) return false;
        double magnitude = double.Parse(clean, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        value = negative ? -magnitude : magnitude;
        return true;
    }

    /// <summary>
    /// What Python does before reading a number: non-ASCII whitespace becomes a space and non-ASCII decimal digits
    /// become ASCII digits (anything else non-ASCII is invalid); then ASCII whitespace is stripped from both ends.
    /// </summary>
    private static bool TryNormalize(string text, out string normalized)
    {
        normalized = "";
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsAscii)
            {
                sb.Append((char)rune.Value);
            }
            else if (rune.IsBmp && IsSpace((char)rune.Value))
            {
                sb.Append(' ');
            }
            else if (Rune.IsDigit(rune))
            {
                sb.Append((char)('0' + (int)Rune.GetNumericValue(rune)));
            }
            else
            {
                return false;
            }
        }
        normalized = sb.ToString().Trim(AsciiWhitespace);
        return true;
    }

    private static readonly char[] AsciiWhitespace = [' ', '\t', '\n', '\v', '\f', '\r'];

    private static bool DigitsWithUnderscores(string s, int start, int end)
    {
        if (!char.IsAsciiDigit(s[start]) || !char.IsAsciiDigit(s[end - 1])) return false;
        for (int i = start; i < end; i++)
        {
            char c = s[i];
            if (c == '_')
            {
                if (!char.IsAsciiDigit(s[i + 1])) return false; // s[i - 1] is a digit: two underscores in a row fail here
            }
            else if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Python's <c>repr(str)</c>: single quotes unless the text has a single quote and no double quote.</summary>
    public static string Repr(string text)
    {
        char quote = text.Contains('\'') && !text.Contains('"') ? '"' : '\'';
        var sb = new StringBuilder(text.Length + 2);
        sb.Append(quote);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == quote || c == '\\')
            {
                sb.Append('\\').Append(c);
            }
            else if (c == '\n') sb.Append("\\n");
            else if (c == '\r') sb.Append("\\r");
            else if (c == '\t') sb.Append("\\t");
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                int codePoint = char.ConvertToUtf32(c, text[i + 1]);
                i++;
                if (IsPrintable(CharUnicodeInfo.GetUnicodeCategory(codePoint), codePoint)) sb.Append(char.ConvertFromUtf32(codePoint));
                else sb.Append("\\U").Append(codePoint.ToString("x8", CultureInfo.InvariantCulture));
            }
            else if (IsPrintable(CharUnicodeInfo.GetUnicodeCategory(c), c))
            {
                sb.Append(c);
            }
            else if (c < 0x100)
            {
                sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }
        sb.Append(quote);
        return sb.ToString();
    }

    // Python's str.isprintable(): everything except categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs other than the space.
    private static bool IsPrintable(UnicodeCategory category, int codePoint) => category switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
        UnicodeCategory.SpaceSeparator => codePoint == ' ',
        _ => true,
    };
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TypedPyro.Naming;

/// <summary>
/// Python <c>re.match</c> semantics on .NET regular expressions, for the name server's <c>regex</c> filters: the
/// pattern must match at the start of the name (not necessarily up to its end). Python-only syntax is translated
/// (<c>(?P&lt;n&gt;...)</c>, <c>(?P=n)</c>, <c>\Z</c>, <c>{,n}</c>) and escapes Python refuses are refused with Python's
/// message (<c>bad escape \p at position 0</c>). Compiled patterns are cached.
/// </summary>
internal static class PythonRegex
{
    private const int MaxCached = 128;
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    /// <summary>Time one match may take before the request fails (protects the name server from runaway patterns).</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The compiled pattern.</summary>
    /// <exception cref="NamingException"><c>invalid regex: ...</c></exception>
    public static Regex Get(string pattern)
    {
        if (Cache.TryGetValue(pattern, out var cached)) return cached;
        Regex regex;
        try
        {
            regex = new Regex(Translate(pattern), RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (RegexParseException e)
        {
            throw new NamingException("invalid regex: " + Describe(e, pattern), e);
        }
        catch (ArgumentException e)
        {
            throw new NamingException("invalid regex: " + e.Message, e);
        }
        if (Cache.Count >= MaxCached) Cache.Clear();
        Cache.TryAdd(pattern, regex);
        return regex;
    }

    // Python's wording for the common mistakes; .NET's own message otherwise.
    private static string Describe(RegexParseException e, string pattern)
    {
        string At(int offset) => " at position " + Math.Max(0, offset).ToString(CultureInfo.InvariantCulture);
        return e.Error switch
        {
            RegexParseError.InsufficientClosingParentheses => "missing ), unterminated subpattern" + At(UnclosedGroup(pattern)),
            RegexParseError.InsufficientOpeningParentheses => "unbalanced parenthesis" + At(e.Offset - 1),
            RegexParseError.QuantifierAfterNothing => "nothing to repeat" + At(e.Offset - 1),
            RegexParseError.NestedQuantifiersNotParenthesized => "multiple repeat" + At(e.Offset - 1),
            _ => e.Message,
        };
    }

    // The position of the outermost '(' that is never closed.
    private static int UnclosedGroup(string pattern)
    {
        var open = new Stack<int>();
        bool inClass = false;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\') { i++; continue; }
            if (inClass) { if (c == ']') inClass = false; continue; }
            if (c == '[') { inClass = true; if (i + 1 < pattern.Length && pattern[i + 1] == ']') i++; continue; }
            if (c == '(') open.Push(i);
            else if (c == ')' && open.Count > 0) open.Pop();
        }
        int outermost = 0;
        foreach (int position in open) outermost = position;
        return outermost;
    }

    /// <summary>Python's <c>bool(re.match(pattern, text))</c>.</summary>
    /// <exception cref="NamingException">The match took longer than <see cref="MatchTimeout"/>.</exception>
    public static bool MatchesAtStart(Regex regex, string text)
    {
        try
        {
            // The leftmost match starts at 0 whenever some match at 0 exists, so this is re.match.
            var match = regex.Match(text);
            return match.Success && match.Index == 0;
        }
        catch (RegexMatchTimeoutException e)
        {
            throw new NamingException("regex evaluation timed out: " + e.Pattern, e);
        }
    }

    /// <summary>Rewrites a Python pattern as a .NET pattern with the same meaning.</summary>
    /// <exception cref="ArgumentException">An escape or construct Python does not accept, with Python's message.</exception>
    internal static string Translate(string pattern)
    {
        var sb = new StringBuilder(pattern.Length + 8);
        bool inClass = false;
        int classStart = -1, classOpen = -1;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 >= pattern.Length) throw Error("bad escape (end of pattern)", i);
                char e = pattern[i + 1];
                if (e is >= 'a' and <= 'z' or >= 'A' and <= 'Z')
                {
                    string allowed = inClass ? "abfnrtvxuUNdDsSwW" : "abBdDfnrstvwWZAxuUN";
                    if (allowed.IndexOf(e) < 0) throw Error("bad escape \\" + e, i);
                    if (e == 'Z') { sb.Append(@"\z"); i++; continue; }
                    if (e == 'N') throw Error("named unicode escapes (\\N{...}) are not supported", i);
                    if (e == 'U')
                    {
                        if (i + 10 > pattern.Length || !uint.TryParse(pattern.AsSpan(i + 2, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint code) || code > 0x10FFFF)
                            throw Error("incomplete escape \\U" + pattern[(i + 2)..Math.Min(pattern.Length, i + 10)], i);
                        foreach (char unit in char.ConvertFromUtf32((int)code)) sb.Append(@"\u").Append(((int)unit).ToString("X4", CultureInfo.InvariantCulture));
                        i += 9;
                        continue;
                    }
                }
                sb.Append(c).Append(e);
                i++;
                continue;
            }
            if (inClass)
            {
                // ']' right after '[' or '[^' is a literal in both dialects.
                if (c == ']' && i > classStart) inClass = false;
                else if (c == '[') { sb.Append(@"\["); continue; } // Python: a literal '['; .NET: maybe class subtraction
                sb.Append(c);
                continue;
            }
            switch (c)
            {
                case '[':
                    inClass = true;
                    classOpen = i;
                    sb.Append(c);
                    if (i + 1 < pattern.Length && pattern[i + 1] == '^') { sb.Append('^'); i++; }
                    classStart = i + 1;
                    continue;
                case '(' when string.CompareOrdinal(pattern, i, "(?P<", 0, 4) == 0:
                    sb.Append("(?<");
                    i += 3;
                    continue;
                case '(' when string.CompareOrdinal(pattern, i, "(?P=", 0, 4) == 0:
                    int close = pattern.IndexOf(')', i);
                    if (close < 0) throw Error("missing ), unterminated name", i + 4);
                    sb.Append(@"\k<").Append(pattern, i + 4, close - i - 4).Append('>');
                    i = close;
                    continue;
                case '{' when i + 1 < pattern.Length && pattern[i + 1] == ',' && i > 0:
                    // Python's {,n} means {0,n}; .NET would read it as literal text.
                    int end = i + 2;
                    while (end < pattern.Length && char.IsAsciiDigit(pattern[end])) end++;
                    if (end > i + 2 && end < pattern.Length && pattern[end] == '}') sb.Append("{0");
                    else sb.Append('{');
                    continue;
                default:
                    sb.Append(c);
                    continue;
            }
        }
        if (inClass) throw Error("unterminated character set", classOpen);
        return sb.ToString();
    }

    private static ArgumentException Error(string message, int position)
        => new(message + " at position " + position.ToString(CultureInfo.InvariantCulture));
}

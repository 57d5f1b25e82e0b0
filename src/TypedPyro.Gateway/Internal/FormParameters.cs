using System.Buffers;
using System.Text;

namespace TypedPyro.Gateway.Internal;

/// <summary>
/// Python's <c>urllib.parse.parse_qs(qs, keep_blank_values=False)</c> followed by the gateway's
/// <c>singlyfy_parameters</c>: names in order of first appearance, a single value as a string, a repeated name as a
/// list of strings. Fields without <c>=</c> or with an empty value are dropped; <c>+</c> is a space; only <c>&amp;</c>
/// separates fields; invalid percent escapes stay as they are; undecodable bytes become U+FFFD.
/// </summary>
internal sealed class FormParameters
{
    private readonly List<(string Name, List<string> Values)> _fields = [];

    /// <summary>Number of distinct names.</summary>
    public int Count => _fields.Count;

    /// <summary>True when <paramref name="name"/> is present.</summary>
    public bool Contains(string name) => _fields.Exists(f => f.Name == name);

    /// <summary>The value of <paramref name="name"/>: a string, a list of strings, or null when absent.</summary>
    public object? Get(string name)
    {
        foreach (var (n, values) in _fields)
        {
            if (n == name) return values.Count == 1 ? values[0] : values.Cast<object?>().ToList();
        }
        return null;
    }

    /// <summary>Removes <paramref name="name"/> (Python's <c>del parameters["$key"]</c>).</summary>
    public void Remove(string name) => _fields.RemoveAll(f => f.Name == name);

    /// <summary>Adds one value (a repeated name collects a list).</summary>
    public void Add(string name, string value)
    {
        foreach (var (n, values) in _fields)
        {
            if (n == name)
            {
                values.Add(value);
                return;
            }
        }
        _fields.Add((name, [value]));
    }

    /// <summary>The keyword arguments for the call, in order.</summary>
    public Dictionary<string, object?> ToKeywordArguments()
    {
        var result = new Dictionary<string, object?>(_fields.Count, StringComparer.Ordinal);
        foreach (var (name, _) in _fields) result[name] = Get(name);
        return result;
    }

    /// <summary>The parameters as Python would print the dict (for error logs).</summary>
    public override string ToString()
        => "{" + string.Join(", ", _fields.Select(f => $"'{f.Name}': " + (f.Values.Count == 1 ? $"'{f.Values[0]}'" : "[" + string.Join(", ", f.Values.Select(v => $"'{v}'")) + "]"))) + "}";

    /// <summary>Parses a query string (without the leading <c>?</c>) and adds its fields.</summary>
    public void AddQuery(string? query, Encoding encoding)
    {
        if (string.IsNullOrEmpty(query)) return;
        AddQuery(Encoding.UTF8.GetBytes(query), encoding);
    }

    /// <summary>Parses url-encoded bytes (a query string or an <c>application/x-www-form-urlencoded</c> body).</summary>
    public void AddQuery(ReadOnlySpan<byte> query, Encoding encoding)
    {
        while (!query.IsEmpty)
        {
            int amp = query.IndexOf((byte)'&');
            var field = amp < 0 ? query : query[..amp];
            query = amp < 0 ? [] : query[(amp + 1)..];
            int eq = field.IndexOf((byte)'=');
            if (eq < 0) continue;                    // no '=': dropped (keep_blank_values=False)
            var rawValue = field[(eq + 1)..];
            if (rawValue.IsEmpty) continue;          // empty value: dropped
            Add(Unquote(field[..eq], encoding), Unquote(rawValue, encoding));
        }
    }

    /// <summary><c>unquote(s.replace('+', ' '), encoding, errors='replace')</c> on bytes.</summary>
    internal static string Unquote(ReadOnlySpan<byte> text, Encoding encoding)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(text.Length, 1));
        try
        {
            int n = 0;
            for (int i = 0; i < text.Length; i++)
            {
                byte b = text[i];
                if (b == (byte)'+') buffer[n++] = (byte)' ';
                else if (b == (byte)'%' && i + 2 < text.Length && IsHex(text[i + 1]) && IsHex(text[i + 2]))
                {
                    buffer[n++] = (byte)(HexValue(text[i + 1]) << 4 | HexValue(text[i + 2]));
                    i += 2;
                }
                else buffer[n++] = b;
            }
            return encoding.GetString(buffer, 0, n);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    private static int HexValue(byte b) => b <= (byte)'9' ? b - '0' : (b | 0x20) - 'a' + 10;
}

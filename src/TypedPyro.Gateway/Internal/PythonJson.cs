using System.Text;
using TypedPyro.Serialization;

namespace TypedPyro.Gateway.Internal;

/// <summary>Python's <c>json.dumps(value)</c> (ensure_ascii=True) as UTF-8 bytes, what the gateway itself writes.</summary>
internal static class PythonJson
{
    public static byte[] Dumps(object? value) => EscapeNonAscii(PyroSerializers.Json.Serialize(value));

    /// <summary>
    /// Turns Pyro's <c>ensure_ascii=False</c> json into <c>ensure_ascii=True</c> json: every non-ASCII character
    /// (they only occur inside strings) becomes <c>\uXXXX</c>, astral characters a surrogate pair.
    /// </summary>
    public static byte[] EscapeNonAscii(byte[] json)
    {
        if (Array.TrueForAll(json, b => b < 0x80)) return json;
        var text = Encoding.UTF8.GetString(json);
        var sb = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            if (c < 0x80) sb.Append(c);
            else sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
        }
        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}

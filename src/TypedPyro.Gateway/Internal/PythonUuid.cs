using System.Globalization;

namespace TypedPyro.Gateway.Internal;

/// <summary>Python's <c>uuid.UUID(text)</c> for the X-Pyro-Correlation-Id header.</summary>
internal static class PythonUuid
{
    /// <summary>Parses like Python: <c>urn:</c>, <c>uuid:</c>, braces and hyphens are ignored, 32 hex digits remain.</summary>
    /// <exception cref="GatewayException">Python's ValueError, with Python's message.</exception>
    public static Guid Parse(string text)
    {
        var hex = text.Replace("urn:", "", StringComparison.Ordinal).Replace("uuid:", "", StringComparison.Ordinal)
            .Trim('{', '}').Replace("-", "", StringComparison.Ordinal);
        if (hex.Length != 32) throw new GatewayException("builtins.ValueError", "badly formed hexadecimal UUID string");
        if (!hex.All(Uri.IsHexDigit)) throw new GatewayException("builtins.ValueError", $"invalid literal for int() with base 16: '{hex}'");
        return Guid.ParseExact(hex, "N");
    }

    /// <summary>Python's <c>str(uuid)</c>.</summary>
    public static string Format(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);
}

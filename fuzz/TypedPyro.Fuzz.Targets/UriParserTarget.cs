using System.Text;

namespace TypedPyro.Fuzz;

/// <summary>
/// The URI parser (<see cref="PyroUri.Parse(string, int)"/>, Python's <c>Pyro4.core.URI(text)</c>) and the wire form
/// built from a parsed URI. The input is UTF-8 text (invalid bytes become U+FFFD, as a decoded header would).
/// </summary>
public sealed class UriParserTarget : IFuzzTarget
{
    /// <inheritdoc/>
    public string Name => "uri";

    /// <inheritdoc/>
    public void Run(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        bool parsed = PyroUri.TryParse(text, out var tried);
        PyroUri uri;
        try
        {
            uri = PyroUri.Parse(text);
        }
        catch (PyroException)
        {
            // The documented error for text that is not a URI; TryParse must agree.
            if (parsed) throw new FuzzInvariantException("TryParse accepted what Parse refused");
            return;
        }
        if (!parsed || tried != uri) throw new FuzzInvariantException("TryParse and Parse disagree");
        _ = uri.ToString();
        _ = uri.GetHashCode();
        // The wire form carries the parsed state as it is: reading it back gives the same URI.
        var back = PyroUri.FromWireValue(uri.ToWireValue());
        if (back != uri) throw new FuzzInvariantException($"the wire form of {uri} reads back as {back}");
    }
}

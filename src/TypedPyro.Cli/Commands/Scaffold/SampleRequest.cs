using System.Text;
using System.Text.RegularExpressions;
using TypedPyro.Serialization;

namespace TypedPyro.Cli.Commands.Scaffold;

/// <summary>
/// A <c>--sample</c> item: <c>name(args)</c> calls a method once with Python literal arguments
/// (<c>"store('ann', 'pen')"</c>); a bare <c>name</c> reads an attribute (or calls a method without arguments).
/// </summary>
internal sealed partial record SampleRequest(string Name, IReadOnlyList<object?>? Arguments, string Text)
{
    [GeneratedRegex(@"^\s*([^\s()]+)\s*(?:\((.*)\))?\s*$", RegexOptions.Singleline)]
    private static partial Regex Pattern();

    /// <exception cref="ArgumentException">Not <c>name</c> or <c>name(literals)</c>.</exception>
    public static SampleRequest Parse(string text)
    {
        var match = Pattern().Match(text);
        if (!match.Success) throw new ArgumentException($"--sample {text}: expected NAME or NAME(ARGS), e.g. \"echo('hello')\"");
        string name = match.Groups[1].Value;
        if (!match.Groups[2].Success) return new SampleRequest(name, null, text.Trim());
        string inner = match.Groups[2].Value.Trim();
        if (inner.Length == 0) return new SampleRequest(name, [], text.Trim());
        try
        {
            // As a tuple literal, so that one argument stays one argument: (x,)
            var value = PyroSerializers.Serpent.Deserialize(Encoding.UTF8.GetBytes("(" + inner + ",)"));
            if (value is not PyTuple args) throw new ArgumentException($"--sample {text}: the arguments are not a list of Python literals");
            return new SampleRequest(name, args, text.Trim());
        }
        catch (SerializeException e)
        {
            throw new ArgumentException($"--sample {text}: the arguments are not Python literals ({e.Message})", e);
        }
    }
}

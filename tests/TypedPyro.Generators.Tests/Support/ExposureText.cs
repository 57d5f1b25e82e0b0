using System.Text.RegularExpressions;

namespace TypedPyro.Generators.Tests.Support;

/// <summary>
/// Cuts the manifest texts out of the generated <c>PyroExposure.g.cs</c> with the expression the package's MSBuild
/// target uses (src/TypedPyro/build/TypedPyro.targets), so the tests read what a build writes.
/// </summary>
internal static class ExposureText
{
    public const string HintName = "PyroExposure.g.cs";

    /// <summary>The text of the constant <paramref name="name"/> (<c>Json</c> or <c>Sarif</c>).</summary>
    public static string Extract(string generated, string name)
    {
        var match = Regex.Match(generated, "(?s)" + name + " = \"\"\"\\r?\\n(.*?)\\r?\\n\"\"\";");
        Assert.True(match.Success, $"no {name} text in the generated manifest file");
        return match.Groups[1].Value;
    }
}

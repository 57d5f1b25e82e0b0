using TypedPyro.Generators.Emitting;

namespace TypedPyro.Generators.Exposure;

/// <summary>
/// Emits <c>PyroExposure.g.cs</c>: the manifest and its SARIF summary as raw string constants, inside
/// <c>#if TYPEDPYRO_EXPOSURE_PAYLOAD</c> so the assembly carries nothing. The package's MSBuild target
/// (build/TypedPyro.targets) cuts the two texts out of the emitted file into <c>pyro-exposure.json</c> and
/// <c>pyro-exposure.sarif</c>; it finds them by the lines <c>Json = """</c>, <c>Sarif = """</c> and <c>""";</c>.
/// </summary>
internal static class ExposureEmitter
{
    public const string HintName = "PyroExposure.g.cs";

    public static string Emit(ExposureInput input)
    {
        var w = new SourceWriter();
        FileHeader.Write(w);
        w.Line("// The exposure manifest of this assembly (PyroExposureManifest=true): what its [Expose] contracts and the daemon");
        w.Line("// registrations in its source make remotely callable. The build copies the texts below to pyro-exposure.json and");
        w.Line("// pyro-exposure.sarif beside the intermediate assembly. Compiled only with TYPEDPYRO_EXPOSURE_PAYLOAD defined.");
        w.Line("#if TYPEDPYRO_EXPOSURE_PAYLOAD");
        w.Open("namespace TypedPyro.Generated");
        w.Line(FileHeader.GeneratedCode);
        w.Open("internal static class PyroExposureManifest");
        // JSON never holds three quotes in a row (two strings cannot touch), so a raw string literal holds it as it is;
        // the closing quotes start their line, so the lines need no indentation.
        w.Line("public const string Json = \"\"\"");
        Raw(w, ManifestJson.Write(input));
        w.Line("public const string Sarif = \"\"\"");
        Raw(w, ManifestSarif.Write(input));
        w.Close();
        w.Close();
        w.Line("#endif");
        return w.ToString();
    }

    private static void Raw(SourceWriter w, string text)
    {
        w.Unindent().Unindent();
        foreach (var line in text.TrimEnd('\n').Split('\n')) w.Line(line);
        w.Line("\"\"\";");
        w.Indent().Indent();
    }
}

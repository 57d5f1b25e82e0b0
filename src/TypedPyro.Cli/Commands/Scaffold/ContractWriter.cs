using System.Text;

namespace TypedPyro.Cli.Commands.Scaffold;

/// <summary>Writes a scaffolded contract as a C# file: an <c>[Expose]</c> interface with a note above each member.</summary>
internal static class ContractWriter
{
    public static string Write(ScaffoldContract contract)
    {
        var w = new StringBuilder();
        w.AppendLine($"// Scaffolded by `typedpyro scaffold {contract.Source}` from the object's metadata, which names its methods,");
        w.AppendLine("// oneway methods and attributes but not their parameters or types. Review each \"scaffold:\" note, then delete it.");
        w.AppendLine("#nullable enable");
        w.AppendLine();
        w.AppendLine("using TypedPyro;");
        w.AppendLine();
        w.AppendLine($"namespace {contract.Namespace};");
        w.AppendLine();
        w.AppendLine($"/// <summary>The remote object <c>{Escape(contract.ObjectId)}</c>.</summary>");
        w.AppendLine("[Expose]");
        if (contract.SnakeCase) w.AppendLine("[PyroNaming(PyroNamingPolicy.SnakeCase)]");
        w.AppendLine($"public interface {contract.InterfaceName}");
        w.AppendLine("{");
        bool first = true;
        foreach (var member in contract.Members)
        {
            if (!first) w.AppendLine();
            first = false;
            w.AppendLine($"    // scaffold: {member.Note}");
            if (member.Kind == ScaffoldMemberKind.Skipped) continue;
            string what = member.Kind == ScaffoldMemberKind.Attribute ? "attribute" : member.Oneway ? "oneway method" : "method";
            w.AppendLine($"    /// <summary>Remote {what} <c>{Escape(member.WireName)}</c>.</summary>");
            if (member.Oneway) w.AppendLine("    [Oneway]");
            if (member.NeedsPyroName) w.AppendLine($"    [PyroName(\"{Literal(member.WireName)}\")]");
            if (member.Kind == ScaffoldMemberKind.Attribute)
            {
                w.AppendLine($"    {member.Type} {member.CSharpName} {{ get; set; }}");
                continue;
            }
            string parameters = string.Join(", ", member.Parameters.Select(p => $"{p.Type} {p.Name}"));
            w.AppendLine($"    {member.Type} {member.CSharpName}({parameters});");
        }
        w.AppendLine("}");
        return w.ToString();
    }

    private static string Literal(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}

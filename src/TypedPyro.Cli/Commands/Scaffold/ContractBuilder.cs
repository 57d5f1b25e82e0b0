using System.Collections;
using TypedPyro.Serialization;

namespace TypedPyro.Cli.Commands.Scaffold;

/// <summary>
/// Turns an object's metadata (names of methods, oneway methods and attributes) and the sample calls into a contract.
/// Metadata names members only: without a sample, a method has no parameters and returns <c>object?</c>, and every
/// member's note says what is unknown.
/// </summary>
internal static class ContractBuilder
{
    public static ScaffoldContract Build(string ns, string interfaceName, string objectId, string source, PyroObjectMetadata metadata, IReadOnlyDictionary<string, SampleResult> samples)
    {
        var wireNames = metadata.Methods.Concat(metadata.Attributes).Where(n => !n.StartsWith('_')).ToList();
        bool snakeCase = CSharpNames.PreferSnakeCase(wireNames);
        var taken = new HashSet<string>(StringComparer.Ordinal) { interfaceName };
        var members = new List<ScaffoldMember>();
        foreach (var wire in metadata.Attributes.Order(StringComparer.Ordinal)) members.Add(Member(wire, isAttribute: true));
        foreach (var wire in metadata.Methods.Order(StringComparer.Ordinal)) members.Add(Member(wire, isAttribute: false));
        return new ScaffoldContract(ns, interfaceName, objectId, source, snakeCase, members);

        ScaffoldMember Member(string wire, bool isAttribute)
        {
            if (wire.StartsWith('_'))
                return new ScaffoldMember(ScaffoldMemberKind.Skipped, wire, "", false, false, "", [],
                    $"skipped {wire}: a wire name starting with '_' is private to Pyro, and the generator refuses it");
            var (name, pinned) = CSharpNames.ForWire(wire, snakeCase);
            if (!taken.Add(name))
            {
                int n = 2;
                while (!taken.Add(name + n)) n++;
                name += n;
                pinned = true;
            }
            samples.TryGetValue(wire, out var sample);
            return isAttribute ? Attribute(wire, name, pinned, sample) : Method(wire, name, pinned, metadata.Oneway.Contains(wire), sample);
        }
    }

    private static ScaffoldMember Attribute(string wire, string name, bool pinned, SampleResult? sample)
    {
        if (sample is null)
            return new ScaffoldMember(ScaffoldMemberKind.Attribute, wire, name, pinned, false, "object?", [],
                $"type unknown (metadata names attributes only): declare it, or run with --sample {wire}; drop the setter if it is read-only");
        string note = $"typed from the value read once ({Show(sample.Value)})" + Doubt(sample.Value) + "; drop the setter if it is read-only";
        return new ScaffoldMember(ScaffoldMemberKind.Attribute, wire, name, pinned, false, SampleTypes.OrUnknown(sample.Value), [], note);
    }

    private static ScaffoldMember Method(string wire, string name, bool pinned, bool oneway, SampleResult? sample)
    {
        if (sample is null)
        {
            string unknown = oneway ? "parameters unknown (metadata names methods only)" : "parameters and return type unknown (metadata names methods only)";
            return new ScaffoldMember(ScaffoldMemberKind.Method, wire, name, pinned, oneway, oneway ? "void" : "object?", [],
                $"{unknown}: declare them, or run with --sample \"{wire}(ARGS)\"");
        }
        var args = sample.Request.Arguments ?? (IReadOnlyList<object?>)[];
        var parameters = args.Select((a, i) => new ScaffoldParameter($"arg{i + 1}", SampleTypes.OrUnknown(a))).ToList();
        string argsNote = args.Count == 0 ? "" : string.Concat(args.Select((a, i) => SampleTypes.Doubt(a) is { } d ? $"; arg{i + 1}: {d}" : ""));
        string type;
        string resultNote;
        if (oneway)
        {
            type = "void";
            resultNote = "oneway: no result";
        }
        else if (sample.Iterated)
        {
            var items = (IList)sample.Value!;
            type = $"System.Collections.Generic.IEnumerable<{SampleTypes.Unify(items)}>";
            resultNote = $"it returned an iterator of {items.Count} items";
        }
        else if (sample.Value is null)
        {
            type = "void";
            resultNote = "it returned None: declared void (return object? if it can return a value)";
        }
        else
        {
            type = SampleTypes.OrUnknown(sample.Value);
            resultNote = $"it returned {Show(sample.Value)}" + Doubt(sample.Value);
        }
        return new ScaffoldMember(ScaffoldMemberKind.Method, wire, name, pinned, oneway, type, parameters,
            $"typed from one call, {Flatten(sample.Request.Text)}: " + (args.Count == 0 ? "no arguments" : "parameter names unknown") + $"{argsNote}; {resultNote}");
    }

    private static string Doubt(object? value) => SampleTypes.Doubt(value) is { } d ? $"; {d}" : "";

    /// <summary>A value as a short Python literal on one line.</summary>
    private static string Show(object? value)
    {
        string text = Flatten(PythonRepr.Format(value));
        return text.Length <= 60 ? text : text[..57] + "...";
    }

    private static string Flatten(string text) => text.ReplaceLineEndings(" ");
}

using System.Text;
using System.Text.RegularExpressions;
using TypedPyro.Generators.Parsing;

namespace TypedPyro.Cli.Commands.Scaffold;

/// <summary>C# names for wire names, and whether the generator's naming policy maps them back.</summary>
internal static partial class CSharpNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while",
    };

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex Separators();

    public static bool IsIdentifier(string name) => IdentifierPattern().IsMatch(name) && !Keywords.Contains(name);

    /// <summary><c>list_contents</c> -> <c>ListContents</c>; a name that would start with a digit gets <c>M</c>.</summary>
    public static string Pascal(string wireName)
    {
        var result = new StringBuilder(wireName.Length);
        foreach (var part in Separators().Split(wireName))
        {
            if (part.Length == 0) continue;
            result.Append(char.ToUpperInvariant(part[0])).Append(part, 1, part.Length - 1);
        }
        if (result.Length == 0 || char.IsDigit(result[0])) result.Insert(0, 'M');
        return result.ToString();
    }

    /// <summary>
    /// The C# name for a wire name under the contract's policy, and whether <c>[PyroName]</c> must pin it: the
    /// generator derives the wire name from the C# name, so a name it would not derive back must be given.
    /// </summary>
    public static (string Name, bool NeedsPyroName) ForWire(string wireName, bool snakeCase)
    {
        if (snakeCase)
        {
            string pascal = Pascal(wireName);
            return (pascal, WireNames.ToSnakeCase(pascal) != wireName);
        }
        return IsIdentifier(wireName) ? (wireName, false) : (Pascal(wireName), true);
    }

    /// <summary>Python style (lower-case names) when most names are: then the contract uses the snake_case policy.</summary>
    public static bool PreferSnakeCase(IReadOnlyCollection<string> wireNames)
        => wireNames.Count(n => n == n.ToLowerInvariant()) * 2 >= wireNames.Count;

    /// <summary>The interface name for an object id: <c>example.warehouse</c> -> <c>IWarehouse</c>.</summary>
    public static string InterfaceFor(string objectId)
    {
        string last = objectId[(objectId.LastIndexOf('.') + 1)..];
        string pascal = Pascal(last);
        return pascal == "M" ? "IRemoteObject" : "I" + pascal;
    }
}

using System.Text;

namespace TypedPyro.Generators.Parsing;

/// <summary>The naming policies of <c>PyroNamingPolicy</c>. The snake_case rule is part of the wire contract.</summary>
internal static class WireNames
{
    /// <summary><c>PyroNamingPolicy.SnakeCase</c>'s value.</summary>
    public const int SnakeCasePolicy = 1;

    /// <summary>Applies a naming policy (0 = as declared, 1 = snake_case) to a C# name.</summary>
    public static string Apply(int policy, string name) => policy == SnakeCasePolicy ? ToSnakeCase(name) : name;

    /// <summary>Drops the <c>Async</c> suffix of an awaitable method's name (<c>ListAsync</c> -> <c>List</c>).</summary>
    public static string DropAsyncSuffix(string name)
        => name.Length > 5 && name.EndsWith("Async", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - 5) : name;

    /// <summary>
    /// Python's snake_case: an underscore goes before an upper-case letter that follows a lower-case letter or a
    /// digit, or that follows an upper-case letter and is followed by a lower-case one; then everything is
    /// lower-cased. <c>GetStock</c> -> <c>get_stock</c>, <c>HTTPServer</c> -> <c>http_server</c>,
    /// <c>Item2Name</c> -> <c>item2_name</c>.
    /// </summary>
    public static string ToSnakeCase(string name)
    {
        var result = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (i > 0 && char.IsUpper(c))
            {
                char previous = name[i - 1];
                bool afterLower = char.IsLower(previous) || char.IsDigit(previous);
                bool endsAcronym = char.IsUpper(previous) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (afterLower || endsAcronym) result.Append('_');
            }
            result.Append(char.ToLowerInvariant(c));
        }
        return result.ToString();
    }
}

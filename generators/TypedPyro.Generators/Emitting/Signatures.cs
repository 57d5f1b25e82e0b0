using System.Text;
using TypedPyro.Generators.Model;

namespace TypedPyro.Generators.Emitting;

/// <summary>Explicit interface implementation heads, shared by the emitters.</summary>
internal static class Signatures
{
    /// <summary><c>R global::Ns.IX.M&lt;T&gt;(A a, ref B b)</c>.</summary>
    public static string Method(MemberModel method)
    {
        var text = new StringBuilder();
        text.Append(method.Type).Append(' ').Append(method.DeclaringType).Append('.').Append(method.Name);
        if (!method.TypeParameters.IsEmpty) text.Append('<').Append(string.Join(", ", method.TypeParameters)).Append('>');
        return text.Append('(').Append(ParameterList(method)).Append(')').ToString();
    }

    /// <summary><c>T global::Ns.IX.this[A a]</c>.</summary>
    public static string Indexer(MemberModel indexer)
        => indexer.Type + " " + indexer.DeclaringType + ".this[" + ParameterList(indexer) + "]";

    /// <summary><c>T global::Ns.IX.P</c>.</summary>
    public static string Property(MemberModel property) => property.Type + " " + property.DeclaringType + "." + property.Name;

    /// <summary>The parameters of a signature (no default values: explicit implementations ignore them).</summary>
    public static string ParameterList(MemberModel member)
    {
        var text = new StringBuilder();
        foreach (var p in member.Parameters)
        {
            if (text.Length > 0) text.Append(", ");
            text.Append(p.Modifiers).Append(p.Type).Append(' ').Append(p.Name);
        }
        return text.ToString();
    }
}

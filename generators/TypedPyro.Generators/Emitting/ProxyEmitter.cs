using System.Collections.Generic;
using TypedPyro.Generators.Model;
using TypedPyro.Generators.Parsing;

namespace TypedPyro.Generators.Emitting;

/// <summary>
/// Emits <c>{Name}PyroProxy</c>: a sealed <c>PyroProxyBase</c> that implements the contract explicitly, each remote
/// member one call to a base helper with the wire name, the packed arguments and the result's converter.
/// </summary>
internal static class ProxyEmitter
{
    private const string ValueTask = "global::System.Threading.Tasks.ValueTask";

    public static string Emit(ContractModel contract)
    {
        var w = new SourceWriter();
        FileHeader.Write(w);
        if (contract.SkipReason is not null)
        {
            w.Line("// skipped: " + contract.InterfaceName + ": " + contract.SkipReason);
            return w.ToString();
        }

        string name = contract.ClassPrefix + "PyroProxy";
        FileHeader.OpenNamespace(w, contract.Namespace);
        w.Line("/// <summary>The generated Pyro proxy of <c>" + Xml(contract.InterfaceName) + "</c>: calls its members on a remote object.</summary>");
        w.Line(FileHeader.GeneratedCode);
        w.Open((contract.IsPublic ? "public" : "internal") + " sealed class " + name + " : global::TypedPyro.PyroProxyBase, " + contract.InterfaceType);
        w.Line("/// <summary>Creates the proxy over <paramref name=\"connection\"/>, which it owns.</summary>");
        w.Line("public " + name + "(global::TypedPyro.PyroProxy connection)");
        w.Line("    : base(connection)");
        w.Open().Close();
        foreach (var member in contract.Members)
        {
            w.Line();
            switch (member.Kind)
            {
                case MemberKind.Method:
                    Method(w, member);
                    break;
                case MemberKind.Property:
                    Property(w, member);
                    break;
                case MemberKind.Indexer:
                    Accessors(w, member, Signatures.Indexer(member), Refusal(member));
                    break;
                case MemberKind.Event:
                    Skipped(w, member);
                    w.Line("event " + member.Type + " " + member.DeclaringType + "." + member.Name);
                    w.Open();
                    w.Line("add => " + Refusal(member) + ";");
                    w.Line("remove => " + Refusal(member) + ";");
                    w.Close();
                    break;
            }
        }
        w.Close();
        FileHeader.CloseNamespace(w, contract.Namespace);
        return w.ToString();
    }

    private static void Method(SourceWriter w, MemberModel method)
    {
        Skipped(w, method);
        w.Line(Signatures.Method(method));
        w.Indent();
        foreach (var constraint in method.Constraints) w.Line(constraint);
        w.Line("=> " + (method.IsGenerated ? Call(method) : Refusal(method)) + ";");
        w.Unindent();
    }

    private static string Call(MemberModel method)
    {
        var positional = new List<string>();
        var keywords = new List<string>();
        string token = "default";
        foreach (var p in method.Parameters)
        {
            if (p.IsCancellationToken)
            {
                token = p.Name;
                continue;
            }
            // Required parameters go by position until the first optional one; from there on, by keyword.
            if (p.IsOptional || keywords.Count > 0) keywords.Add("[" + Literals.String(p.WireName) + "] = " + p.Name);
            else positional.Add(p.Name);
        }
        string args = positional.Count == 0
            ? "global::TypedPyro.Serialization.PyTuple.Empty"
            : "new global::TypedPyro.Serialization.PyTuple(new object?[] { " + string.Join(", ", positional) + " })";
        string kwargs = keywords.Count == 0
            ? "null"
            : "new global::System.Collections.Generic.Dictionary<string, object?>(" + keywords.Count + ") { " + string.Join(", ", keywords) + " }";
        string head = Literals.String(method.WireName) + ", " + args + ", " + kwargs;
        string result = method.ResultType ?? "";
        return method.Shape switch
        {
            CallShape.Void => (method.IsOneway ? "CallOneway(" : "Call(") + head + ")",
            CallShape.Value => "Call<" + result + ">(" + head + ", " + method.Converter + ")",
            CallShape.Task => (method.IsOneway ? "CallOnewayAsync(" : "CallAsync(") + head + ", " + token + ")",
            CallShape.TaskOfT => "CallAsync<" + result + ">(" + head + ", " + method.Converter + ", " + token + ")",
            CallShape.ValueTask => "new " + ValueTask + "(" + (method.IsOneway ? "CallOnewayAsync(" : "CallAsync(") + head + ", " + token + "))",
            CallShape.ValueTaskOfT => "new " + ValueTask + "<" + result + ">(CallAsync<" + result + ">(" + head + ", " + method.Converter + ", " + token + "))",
            CallShape.Stream => "CallStream<" + result + ">(" + head + ", " + method.Converter + ")",
            _ => "CallStreamAsync<" + result + ">(" + head + ", " + method.Converter + ", " + token + ")",
        };
    }

    private static void Property(SourceWriter w, MemberModel property)
    {
        string wire = Literals.String(property.WireName);
        if (!property.IsGenerated)
        {
            Accessors(w, property, Signatures.Property(property), Refusal(property));
            return;
        }
        w.Line(Signatures.Property(property));
        w.Open();
        if (property.HasGetter) w.Line("get => GetAttribute<" + property.ResultType + ">(" + wire + ", " + property.Converter + ");");
        if (property.HasSetter) w.Line((property.IsInitOnly ? "init" : "set") + " => SetAttribute(" + wire + ", value);");
        w.Close();
    }

    private static void Accessors(SourceWriter w, MemberModel member, string signature, string refusal)
    {
        Skipped(w, member);
        w.Line(signature);
        w.Open();
        if (member.HasGetter) w.Line("get => " + refusal + ";");
        if (member.HasSetter) w.Line((member.IsInitOnly ? "init" : "set") + " => " + refusal + ";");
        w.Close();
    }

    private static void Skipped(SourceWriter w, MemberModel member)
    {
        if (member.IsRemote && member.SkipReason is not null) w.Line("// skipped: " + member.DisplayName + ": " + member.SkipReason);
    }

    private static string Refusal(MemberModel member)
        => !member.IsRemote
            ? "throw NotRemote(" + Literals.String(member.DisplayName) + ")"
            : "throw new global::System.NotSupportedException(" + Literals.String(member.DisplayName + " cannot be called through a Pyro proxy: " + member.SkipReason) + ")";

    /// <summary>Text made safe for an XML doc comment.</summary>
    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}

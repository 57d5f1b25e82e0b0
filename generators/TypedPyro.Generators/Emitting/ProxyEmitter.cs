using System.Collections.Generic;
using TypedPyro.Generators.Model;
using TypedPyro.Generators.Parsing;

namespace TypedPyro.Generators.Emitting;

/// <summary>
/// Emits <c>{Name}PyroProxy</c>: a sealed <c>PyroProxyBase</c> that implements the contract explicitly, each remote
/// member one call to a base helper with the wire name, the arguments and the result's converter. Methods whose
/// arguments all go by position get an argument struct that writes them straight into the serializer (no boxing, no
/// tuple); methods with keyword arguments, blobs or iterator results pack an object-model tuple.
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
        var argumentStructs = new List<(string Name, MemberModel Method)>();
        foreach (var member in contract.Members)
        {
            w.Line();
            switch (member.Kind)
            {
                case MemberKind.Method:
                    string? arguments = member.IsGenerated && HasTypedArguments(member) ? member.Name.TrimStart('@') + "Arguments" + argumentStructs.Count : null;
                    if (arguments is not null && PositionalCount(member) > 0) argumentStructs.Add((arguments, member));
                    Method(w, member, arguments);
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
        foreach (var (structName, method) in argumentStructs)
        {
            w.Line();
            ArgumentStruct(w, structName, method);
        }
        w.Close();
        FileHeader.CloseNamespace(w, contract.Namespace);
        return w.ToString();
    }

    private static void Method(SourceWriter w, MemberModel method, string? arguments)
    {
        Skipped(w, method);
        w.Line(Signatures.Method(method));
        w.Indent();
        foreach (var constraint in method.Constraints) w.Line(constraint);
        w.Line("=> " + (!method.IsGenerated ? Refusal(method) : arguments is not null ? TypedCall(method, arguments) : Call(method)) + ";");
        w.Unindent();
    }

    private const string Serialization = "global::TypedPyro.Serialization.";

    /// <summary>
    /// True when the method's arguments can be written by a struct: all positional (no optional parameter, which goes
    /// by keyword), none a blob (blobs take Pyro's KEEPSERIALIZED path), and not an iterator result.
    /// </summary>
    private static bool HasTypedArguments(MemberModel method)
    {
        if (method.Shape is CallShape.Stream or CallShape.AsyncStream || method.TypeParameters.Count > 0) return false;
        foreach (var p in method.Parameters)
        {
            if (p.IsCancellationToken) continue;
            if (p.IsOptional || p.Modifiers.Length > 0 || p.Type.TrimEnd('?') is "global::TypedPyro.SerializedBlob" or "object") return false;
        }
        return true;
    }

    private static int PositionalCount(MemberModel method)
    {
        int count = 0;
        foreach (var p in method.Parameters) count += p.IsCancellationToken ? 0 : 1;
        return count;
    }

    /// <summary>A call through the argument struct <paramref name="arguments"/> (or NoArguments).</summary>
    private static string TypedCall(MemberModel method, string arguments)
    {
        var values = new List<string>();
        string token = "default";
        foreach (var p in method.Parameters)
        {
            if (p.IsCancellationToken) token = p.Name;
            else values.Add(p.Name);
        }
        string type = values.Count == 0 ? Serialization + "NoArguments" : arguments;
        string head = Literals.String(method.WireName) + ", new " + type + "(" + string.Join(", ", values) + ")";
        string result = method.ResultType ?? "";
        return method.Shape switch
        {
            CallShape.Void => (method.IsOneway ? "InvokeOneway<" : "Invoke<") + type + ">(" + head + ")",
            CallShape.Value => "Invoke<" + type + ", " + result + ">(" + head + ", " + method.Converter + ")",
            CallShape.Task => (method.IsOneway ? "InvokeOnewayAsync<" : "InvokeAsync<") + type + ">(" + head + ", " + token + ")",
            CallShape.TaskOfT => "InvokeAsync<" + type + ", " + result + ">(" + head + ", " + method.Converter + ", " + token + ")",
            CallShape.ValueTask => method.IsOneway
                ? "new " + ValueTask + "(InvokeOnewayAsync<" + type + ">(" + head + ", " + token + "))"
                : "InvokeValueTaskAsync<" + type + ">(" + head + ", " + token + ")",
            _ => "InvokeValueTaskAsync<" + type + ", " + result + ">(" + head + ", " + method.Converter + ", " + token + ")",
        };
    }

    /// <summary>
    /// The argument struct of one method: holds the arguments and writes each with the writer method for its type
    /// (strings, integers up to 64 bits, double and bool unboxed; anything else through the serializer's object writer).
    /// </summary>
    private static void ArgumentStruct(SourceWriter w, string name, MemberModel method)
    {
        var parameters = new List<ParameterModel>();
        foreach (var p in method.Parameters)
        {
            if (!p.IsCancellationToken) parameters.Add(p);
        }
        w.Line("/// <summary>The arguments of <c>" + Xml(method.DisplayName) + "</c>, written without boxing.</summary>");
        w.Open("private readonly struct " + name + " : " + Serialization + "IPyroArguments");
        for (int i = 0; i < parameters.Count; i++) w.Line("private readonly " + parameters[i].Type + " _" + i + ";");
        w.Line();
        var declared = new List<string>();
        for (int i = 0; i < parameters.Count; i++) declared.Add(parameters[i].Type + " a" + i);
        w.Line("public " + name + "(" + string.Join(", ", declared) + ")");
        w.Open();
        for (int i = 0; i < parameters.Count; i++) w.Line("_" + i + " = a" + i + ";");
        w.Close();
        w.Line();
        w.Line("public int Count => " + parameters.Count + ";");
        w.Line();
        w.Line("public void WriteTo(" + Serialization + "PyroArgumentWriter writer)");
        w.Open();
        for (int i = 0; i < parameters.Count; i++) w.Line("writer." + WriterMethod(parameters[i].Type, "_" + i) + ";");
        w.Close();
        w.Line();
        var boxed = new List<string>();
        for (int i = 0; i < parameters.Count; i++) boxed.Add("_" + i);
        w.Line("public " + Serialization + "PyTuple ToTuple() => new " + Serialization + "PyTuple(new object?[] { " + string.Join(", ", boxed) + " });");
        w.Close();
    }

    /// <summary>The writer call for a value of <paramref name="type"/>: byte-identical to the object writer's output.</summary>
    private static string WriterMethod(string type, string value) => type switch
    {
        "string" or "string?" => "WriteString(" + value + ")",
        "long" or "int" or "short" or "sbyte" or "byte" or "ushort" or "uint" => "WriteInt64(" + value + ")",
        "double" => "WriteDouble(" + value + ")",
        "bool" => "WriteBoolean(" + value + ")",
        _ => "WriteValue(" + value + ")",
    };

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

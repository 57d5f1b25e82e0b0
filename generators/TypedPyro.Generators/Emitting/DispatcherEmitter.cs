using System.Collections.Generic;
using System.Text;
using TypedPyro.Generators.Model;
using TypedPyro.Generators.Parsing;

namespace TypedPyro.Generators.Emitting;

/// <summary>
/// Emits <c>{Name}PyroDispatcher</c>: the server side of a contract, a <c>switch</c> on the wire method name that binds
/// the arguments with typed converters, calls the implementation and boxes the result.
/// </summary>
internal static class DispatcherEmitter
{
    private const string ValueTaskOfObject = "global::System.Threading.Tasks.ValueTask<object?>";
    private const string Task = "global::System.Threading.Tasks.Task";
    private const string ValueTask = "global::System.Threading.Tasks.ValueTask";

    public static string Emit(ContractModel contract)
    {
        var methods = new List<MemberModel>();
        var properties = new List<MemberModel>();
        var oneway = new List<string>();
        foreach (var member in contract.Members)
        {
            if (!member.IsDispatched) continue;
            if (member.Kind == MemberKind.Method)
            {
                methods.Add(member);
                if (member.IsOneway) oneway.Add(member.WireName);
            }
            else if (member.Kind == MemberKind.Property)
            {
                properties.Add(member);
            }
        }

        string name = contract.ClassPrefix + "PyroDispatcher";
        string typeName = Literals.String(contract.TypeName);
        var w = new SourceWriter();
        FileHeader.Write(w);
        FileHeader.OpenNamespace(w, contract.Namespace);
        w.Line("/// <summary>The generated Pyro dispatcher of <c>" + ProxyEmitter.Xml(contract.InterfaceName) + "</c>: serves an implementation to remote callers.</summary>");
        w.Line(FileHeader.GeneratedCode);
        w.Open((contract.IsPublic ? "public" : "internal") + " sealed class " + name + " : global::TypedPyro.IPyroDispatcher");
        foreach (var member in contract.Members)
        {
            if (member.IsRemote && member.SkipReason is not null) w.Line("// skipped: " + member.DisplayName + ": " + member.SkipReason);
        }
        w.Line("private static readonly global::TypedPyro.PyroObjectMetadata s_metadata = new global::TypedPyro.PyroObjectMetadata(");
        w.Indent();
        w.Line(Names(methods.ConvertAll(static m => m.WireName)) + ",");
        w.Line(Names(oneway) + ",");
        w.Line(Names(properties.ConvertAll(static p => p.WireName)) + ");");
        w.Unindent();
        w.Line();
        w.Line("private readonly " + contract.InterfaceType + " _implementation;");
        w.Line();
        w.Line("/// <summary>Creates the dispatcher serving <paramref name=\"implementation\"/>.</summary>");
        w.Open("public " + name + "(" + contract.InterfaceType + " implementation)");
        w.Line("_implementation = implementation ?? throw new global::System.ArgumentNullException(nameof(implementation));");
        w.Close();
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public string TypeName => " + typeName + ";");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public global::TypedPyro.PyroObjectMetadata Metadata => s_metadata;");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public bool AcceptsBufferViews => true;");
        w.Line();

        InvokeAsync(w, contract, methods);
        w.Line();
        GetAttributeAsync(w, contract, properties);
        w.Line();
        SetAttributeAsync(w, contract, properties);
        Helpers(w, methods, properties);
        w.Close();
        FileHeader.CloseNamespace(w, contract.Namespace);
        return w.ToString();
    }

    private static void InvokeAsync(SourceWriter w, ContractModel contract, List<MemberModel> methods)
    {
        w.Line("/// <inheritdoc/>");
        w.Open("public " + ValueTaskOfObject + " InvokeAsync(global::TypedPyro.PyroInvocation invocation)");
        w.Open("switch (invocation.Method)");
        foreach (var method in methods)
        {
            w.Line("case " + Literals.String(method.WireName) + ":");
            w.Indent();
            var names = new List<string>();
            foreach (var p in method.Parameters)
            {
                if (!p.IsCancellationToken) names.Add(Literals.String(p.WireName));
            }
            // A collection expression rather than params: no allocation, and C# 12 has no params spans.
            w.Line("invocation.ExpectAtMost(" + names.Count + ", [" + string.Join(", ", names) + "]);");
            string call = Target(contract, method) + "." + method.Name + "(" + Arguments(method) + ")";
            switch (method.Shape)
            {
                case CallShape.Void:
                    w.Lines(call + ";");
                    w.Line("return default;");
                    break;
                case CallShape.Value:
                    w.Lines("return new " + ValueTaskOfObject + "(" + (method.SendWhole ? "new WholeValue(" + call + ")" : call) + ");");
                    break;
                case CallShape.Task:
                    w.Lines("return FromTask(" + call + ");");
                    break;
                case CallShape.TaskOfT:
                    w.Lines("return FromTask" + (method.SendWhole ? "Whole" : "") + "<" + method.ResultType + ">(" + call + ");");
                    break;
                case CallShape.ValueTask:
                    w.Lines("return FromValueTask(" + call + ");");
                    break;
                case CallShape.ValueTaskOfT:
                    w.Lines("return FromValueTask" + (method.SendWhole ? "Whole" : "") + "<" + method.ResultType + ">(" + call + ");");
                    break;
                default:
                    // Iterators are always streamed, even when the implementation returns a collection.
                    w.Lines("return new " + ValueTaskOfObject + "(global::TypedPyro.PyroStreams.Stream<" + method.ResultType + ">(" + call + "));");
                    break;
            }
            w.Unindent();
        }
        w.Line("default:");
        w.Line("    throw new global::System.MissingMemberException(" + Literals.String("'" + contract.TypeName + "' object has no attribute '") + " + invocation.Method + \"'\");");
        w.Close();
        w.Close();
    }

    private static string Arguments(MemberModel method)
    {
        if (method.Parameters.IsEmpty) return "";
        var text = new StringBuilder();
        int position = 0;
        foreach (var p in method.Parameters)
        {
            text.Append(text.Length == 0 ? "\n    " : ",\n    ");
            if (p.IsCancellationToken)
            {
                text.Append("invocation.Context.CancellationToken");
                continue;
            }
            text.Append("invocation.Arg<").Append(p.Type).Append(">(").Append(position++).Append(", ")
                .Append(Literals.String(p.WireName)).Append(", ").Append(p.Converter);
            if (p.IsOptional) text.Append(", ").Append(p.DefaultValue);
            text.Append(')');
        }
        return text.ToString();
    }

    private static void GetAttributeAsync(SourceWriter w, ContractModel contract, List<MemberModel> properties)
    {
        w.Line("/// <inheritdoc/>");
        w.Open("public " + ValueTaskOfObject + " GetAttributeAsync(string name, global::TypedPyro.PyroCallContext context)");
        string noAttribute = "throw new global::System.MissingMemberException(" + Literals.String("'" + contract.TypeName + "' object has no attribute '") + " + name + \"'\");";
        if (properties.Count == 0)
        {
            w.Line(noAttribute);
            w.Close();
            return;
        }
        w.Open("switch (name)");
        foreach (var property in properties)
        {
            w.Line("case " + Literals.String(property.WireName) + ":");
            w.Indent();
            string read = Target(contract, property) + "." + property.Name;
            w.Line(property.HasGetter
                ? "return new " + ValueTaskOfObject + "(" + (property.SendWhole ? "new WholeValue(" + read + ")" : read) + ");"
                : "throw new global::System.MissingMemberException(" + Literals.String("unreadable attribute '" + property.WireName + "'") + ");");
            w.Unindent();
        }
        w.Line("default:");
        w.Line("    " + noAttribute);
        w.Close();
        w.Close();
    }

    private static void SetAttributeAsync(SourceWriter w, ContractModel contract, List<MemberModel> properties)
    {
        w.Line("/// <inheritdoc/>");
        w.Open("public " + ValueTask + " SetAttributeAsync(string name, object? value, global::TypedPyro.PyroCallContext context)");
        string noAttribute = "throw new global::System.MissingMemberException(" + Literals.String("'" + contract.TypeName + "' object has no attribute '") + " + name + \"'\");";
        if (properties.Count == 0)
        {
            w.Line(noAttribute);
            w.Close();
            return;
        }
        w.Open("switch (name)");
        foreach (var property in properties)
        {
            w.Line("case " + Literals.String(property.WireName) + ":");
            w.Indent();
            if (property.HasSetter && !property.IsInitOnly)
            {
                w.Line(Target(contract, property) + "." + property.Name + " = " + property.ConvertValue + ";");
                w.Line("return default;");
            }
            else
            {
                w.Line("throw new global::System.MissingMemberException(" + Literals.String("can't set attribute '" + property.WireName + "'") + ");");
            }
            w.Unindent();
        }
        w.Line("default:");
        w.Line("    " + noAttribute);
        w.Close();
        w.Close();
    }

    private static void Helpers(SourceWriter w, List<MemberModel> methods, List<MemberModel> properties)
    {
        var needed = new HashSet<string>(System.StringComparer.Ordinal);
        bool whole = false;
        foreach (var method in methods)
        {
            string? helper = method.Shape switch
            {
                CallShape.Task => "FromTask",
                CallShape.TaskOfT => method.SendWhole ? "FromTaskWhole<T>" : "FromTask<T>",
                CallShape.ValueTask => "FromValueTask",
                CallShape.ValueTaskOfT => method.SendWhole ? "FromValueTaskWhole<T>" : "FromValueTask<T>",
                _ => null,
            };
            if (helper is not null) needed.Add(helper);
            whole |= method.SendWhole;
        }
        foreach (var property in properties) whole |= property.SendWhole;

        if (needed.Contains("FromTask"))
        {
            w.Line();
            w.Lines($$"""
                private static {{ValueTaskOfObject}} FromTask({{Task}} task)
                {
                    return task.IsCompletedSuccessfully ? default : Await(task);

                    static async {{ValueTaskOfObject}} Await({{Task}} task)
                    {
                        await task.ConfigureAwait(false);
                        return null;
                    }
                }
                """);
        }
        foreach (string variant in new[] { "FromTask<T>", "FromTaskWhole<T>" })
        {
            if (!needed.Contains(variant)) continue;
            string open = variant == "FromTask<T>" ? "" : "new WholeValue(", close = open.Length == 0 ? "" : ")";
            w.Line();
            w.Lines($$"""
                private static {{ValueTaskOfObject}} {{variant}}({{Task}}<T> task)
                {
                    return task.IsCompletedSuccessfully ? new {{ValueTaskOfObject}}({{open}}task.Result{{close}}) : Await(task);

                    static async {{ValueTaskOfObject}} Await({{Task}}<T> task) => {{open}}await task.ConfigureAwait(false){{close}};
                }
                """);
        }
        if (needed.Contains("FromValueTask"))
        {
            w.Line();
            w.Lines($$"""
                private static {{ValueTaskOfObject}} FromValueTask({{ValueTask}} task)
                {
                    if (!task.IsCompletedSuccessfully) return Await(task);
                    task.GetAwaiter().GetResult();
                    return default;

                    static async {{ValueTaskOfObject}} Await({{ValueTask}} task)
                    {
                        await task.ConfigureAwait(false);
                        return null;
                    }
                }
                """);
        }
        foreach (string variant in new[] { "FromValueTask<T>", "FromValueTaskWhole<T>" })
        {
            if (!needed.Contains(variant)) continue;
            string open = variant == "FromValueTask<T>" ? "" : "new WholeValue(", close = open.Length == 0 ? "" : ")";
            w.Line();
            w.Lines($$"""
                private static {{ValueTaskOfObject}} {{variant}}({{ValueTask}}<T> task)
                {
                    return task.IsCompletedSuccessfully ? new {{ValueTaskOfObject}}({{open}}task.Result{{close}}) : Await(task);

                    static async {{ValueTaskOfObject}} Await({{ValueTask}}<T> task) => {{open}}await task.ConfigureAwait(false){{close}};
                }
                """);
        }
        if (whole)
        {
            w.Line();
            w.Lines("""
                /// <summary>A collection result sent whole: the daemon would take a set of values for an iterator and stream it.</summary>
                private sealed class WholeValue : global::TypedPyro.Serialization.IPyroWireValue
                {
                    private readonly object? _value;

                    public WholeValue(object? value) => _value = value;

                    public object? ToWireValue() => _value;
                }
                """);
        }
    }

    private static string Target(ContractModel contract, MemberModel member)
        => member.DeclaringType == contract.InterfaceType ? "_implementation" : "((" + member.DeclaringType + ")_implementation)";

    private static string Names(List<string> names)
        => names.Count == 0
            ? "global::System.Array.Empty<string>()"
            : "new string[] { " + string.Join(", ", names.ConvertAll(static n => Literals.String(n))) + " }";
}

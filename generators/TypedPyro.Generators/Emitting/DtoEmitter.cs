using System.Collections.Generic;
using TypedPyro.Generators.Model;
using TypedPyro.Generators.Parsing;

namespace TypedPyro.Generators.Emitting;

/// <summary>
/// Emits the partial of a <c>[PyroDto]</c> type: <c>IPyroWireValue.ToWireValue()</c> (Pyro's class dictionary) and
/// <c>static FromWireValue(object?)</c> (the reader contracts use as the type's converter).
/// </summary>
internal static class DtoEmitter
{
    private const string Dictionary = "global::System.Collections.Generic.Dictionary<object, object?>";

    public static string Emit(DtoModel dto)
    {
        var w = new SourceWriter();
        FileHeader.Write(w);
        if (dto.SkipReason is not null)
        {
            w.Line("// skipped: " + dto.FullType + ": " + dto.SkipReason);
            return w.ToString();
        }

        string className = Literals.String(dto.ClassName);
        var travelling = new List<DtoPropertyModel>();
        foreach (var p in dto.Properties)
        {
            if (p.SkipReason is null) travelling.Add(p);
        }

        FileHeader.OpenNamespace(w, dto.Namespace);
        // [GeneratedCode] goes on the members, not on the type: it would mark the user's own half as generated too.
        w.Open(dto.Declaration + " : global::TypedPyro.Serialization.IPyroWireValue");
        foreach (var p in dto.Properties)
        {
            if (p.SkipReason is not null) w.Line("// skipped: " + p.Name + ": " + p.SkipReason);
        }
        w.Line("/// <summary>Pyro's class dictionary: <c>{'__class__': '" + ProxyEmitter.Xml(dto.ClassName) + "', ...}</c>.</summary>");
        w.Line(FileHeader.GeneratedCode);
        w.Open("object? global::TypedPyro.Serialization.IPyroWireValue.ToWireValue()");
        w.Line("return new " + Dictionary + "(" + (travelling.Count + 1) + ")");
        w.Open();
        w.Line("[\"__class__\"] = " + className + ",");
        foreach (var p in travelling) w.Line("[" + Literals.String(p.WireName) + "] = this." + p.Name + ",");
        w.Close(";");
        w.Close();
        w.Line();

        w.Line("/// <summary>");
        w.Line("/// Reads a <c>" + ProxyEmitter.Xml(dto.ClassName) + "</c> from its wire form: a dictionary of its properties, with or without");
        w.Line("/// <c>__class__</c>. A different <c>__class__</c>, a missing required key or a value of the wrong kind is a");
        w.Line("/// <see cref=\"global::TypedPyro.ArgumentTypeException\"/>.");
        w.Line("/// </summary>");
        w.Line(FileHeader.GeneratedCode);
        w.Open("public static " + (dto.HidesBaseReader ? "new " : "") + dto.FullType + " FromWireValue(object? value)");
        if (dto.ReadUnsupported is not null)
        {
            w.Line("// skipped: " + dto.ReadUnsupported);
            w.Line("throw new global::System.NotSupportedException(" + Literals.String(dto.FullType.Replace("global::", "") + " cannot be read from the wire: " + dto.ReadUnsupported) + ");");
            w.Close();
            w.Close();
            FileHeader.CloseNamespace(w, dto.Namespace);
            return w.ToString();
        }
        w.Line("if (value is not global::System.Collections.IDictionary map)");
        w.Line("    throw global::TypedPyro.PyroConvert.Mismatch(" + Literals.String("dict (" + dto.ClassName + ")") + ", value);");
        w.Line("if (map.Contains(\"__class__\") && !" + className + ".Equals(map[\"__class__\"]))");
        w.Line("    throw new global::TypedPyro.ArgumentTypeException(" + Literals.String("expected " + dto.ClassName + ", got ") + " + map[\"__class__\"]);");

        var initializers = new List<DtoPropertyModel>();
        var setters = new List<DtoPropertyModel>();
        foreach (var p in travelling)
        {
            if (p.Binding == DtoBinding.Initializer) initializers.Add(p);
            else if (p.Binding is DtoBinding.Setter or DtoBinding.With) setters.Add(p);
        }
        string arguments = "";
        for (int i = 0; i < dto.ConstructorArguments.Count; i++)
        {
            var a = dto.ConstructorArguments[i];
            arguments += (i == 0 ? "\n    " : ",\n    ") + Read(dto, a.WireName, a.Read, a.DefaultValue);
        }
        w.Lines("var result = new " + dto.FullType + "(" + arguments + ")" + (initializers.Count == 0 ? ";" : ""));
        if (initializers.Count > 0)
        {
            w.Open();
            foreach (var p in initializers) w.Line(p.Name + " = " + Read(dto, p.WireName, p.Read!, null) + ",");
            w.Close(";");
        }
        foreach (var p in setters)
        {
            string key = Literals.String(p.WireName);
            w.Line(p.Binding == DtoBinding.Setter
                ? "if (map.Contains(" + key + ")) result." + p.Name + " = " + p.Read + ";"
                : "if (map.Contains(" + key + ")) result = result with { " + p.Name + " = " + p.Read + " };");
        }
        w.Line("return result;");
        w.Close();
        w.Close();
        FileHeader.CloseNamespace(w, dto.Namespace);
        return w.ToString();
    }

    private static string Read(DtoModel dto, string wireName, string read, string? defaultValue)
        => "map.Contains(" + Literals.String(wireName) + ") ? " + read + " : "
            + (defaultValue ?? "throw new global::TypedPyro.ArgumentTypeException(" + Literals.String(dto.ClassName + " is missing '" + wireName + "'") + ")");
}

using System.Collections;
using System.Text;
using System.Text.Json;

namespace TypedPyro.Cli.Commands.Check;

/// <summary>Prints the checks: one line each for people, or one JSON document for machines.</summary>
internal static class CheckReport
{
    public static void WriteText(TextWriter output, IReadOnlyList<CheckResult> results)
    {
        foreach (var r in results)
        {
            string status = r.Status switch { CheckStatus.Ok => "ok", CheckStatus.Warning => "warning", _ => "error" };
            output.WriteLine($"{status,-7} {r.Name}: {r.Message}" + (r.Fix is null ? "" : $" -- fix: {r.Fix}"));
        }
    }

    /// <summary><c>{"target": ..., "ok": bool, "checks": [{"name", "status", "message", "fix", "data"}]}</c>.</summary>
    public static void WriteJson(TextWriter output, string target, IReadOnlyList<CheckResult> results)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("target", target);
            json.WriteBoolean("ok", results.All(r => r.Status != CheckStatus.Error));
            json.WriteStartArray("checks");
            foreach (var r in results)
            {
                json.WriteStartObject();
                json.WriteString("name", r.Name);
                json.WriteString("status", r.Status.ToString().ToLowerInvariant());
                json.WriteString("message", r.Message);
                if (r.Fix is not null) json.WriteString("fix", r.Fix);
                if (r.Data is not null)
                {
                    json.WritePropertyName("data");
                    WriteValue(json, r.Data);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(s); break;
            case bool b: json.WriteBooleanValue(b); break;
            case int i: json.WriteNumberValue(i); break;
            case double d: json.WriteNumberValue(d); break;
            case IReadOnlyDictionary<string, object?> map:
                json.WriteStartObject();
                foreach (var (k, v) in map)
                {
                    json.WritePropertyName(k);
                    WriteValue(json, v);
                }
                json.WriteEndObject();
                break;
            case IEnumerable items:
                json.WriteStartArray();
                foreach (var item in items) WriteValue(json, item);
                json.WriteEndArray();
                break;
            default: json.WriteStringValue(value.ToString()); break;
        }
    }
}

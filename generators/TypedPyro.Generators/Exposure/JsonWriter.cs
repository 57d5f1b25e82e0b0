using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace TypedPyro.Generators.Exposure;

/// <summary>
/// Writes indented JSON (two spaces, <c>\n</c> line ends, keys in the order written). The generator may not depend
/// on System.Text.Json (it runs inside every compiler), and the manifest needs only this much.
/// </summary>
internal sealed class JsonWriter
{
    private readonly StringBuilder _text = new();
    private readonly Stack<bool> _hasItems = new();

    /// <summary>Starts an object, as an array item or the root (no name) or as a property.</summary>
    public JsonWriter StartObject(string? name = null) => Start(name, '{');

    /// <summary>Ends the innermost object.</summary>
    public JsonWriter EndObject() => End('}');

    /// <summary>Starts an array, as an array item (no name) or as a property.</summary>
    public JsonWriter StartArray(string? name = null) => Start(name, '[');

    /// <summary>Ends the innermost array.</summary>
    public JsonWriter EndArray() => End(']');

    /// <summary>A string (or null) property, or array item when <paramref name="name"/> is null.</summary>
    public JsonWriter String(string? name, string? value)
    {
        Item(name);
        if (value is null) _text.Append("null");
        else Quote(value);
        return this;
    }

    /// <summary>A boolean property.</summary>
    public JsonWriter Bool(string name, bool value)
    {
        Item(name);
        _text.Append(value ? "true" : "false");
        return this;
    }

    /// <summary>A number property.</summary>
    public JsonWriter Number(string name, int value)
    {
        Item(name);
        _text.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    /// <summary>An array of strings as a property.</summary>
    public JsonWriter Strings(string name, IEnumerable<string> values)
    {
        StartArray(name);
        foreach (var value in values) String(null, value);
        return EndArray();
    }

    /// <inheritdoc/>
    public override string ToString() => _text.ToString();

    private JsonWriter Start(string? name, char open)
    {
        if (_hasItems.Count > 0) Item(name);
        _text.Append(open);
        _hasItems.Push(false);
        return this;
    }

    private JsonWriter End(char close)
    {
        bool hadItems = _hasItems.Pop();
        if (hadItems) NewLine();
        _text.Append(close);
        if (_hasItems.Count == 0) _text.Append('\n');
        return this;
    }

    private void Item(string? name)
    {
        if (_hasItems.Pop()) _text.Append(',');
        _hasItems.Push(true);
        NewLine();
        if (name is null) return;
        Quote(name);
        _text.Append(": ");
    }

    private void NewLine() => _text.Append('\n').Append(' ', _hasItems.Count * 2);

    private void Quote(string value)
    {
        _text.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': _text.Append("\\\""); break;
                case '\\': _text.Append("\\\\"); break;
                case '\n': _text.Append("\\n"); break;
                case '\r': _text.Append("\\r"); break;
                case '\t': _text.Append("\\t"); break;
                default:
                    if (c < ' ' || c is '\u2028' or '\u2029') _text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else _text.Append(c);
                    break;
            }
        }
        _text.Append('"');
    }
}

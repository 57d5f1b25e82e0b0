using System.Buffers;
using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace TypedPyro.Serialization;

/// <summary>
/// Formats values of the untyped object model the way Python's <c>repr()</c> prints them, e.g. <c>{'a': (1, 2.5)}</c>,
/// <c>b'\x00'</c>, <c>{1, 2}</c>, <c>set()</c>, <c>None</c>, <c>nan</c>. Meant for showing results to humans as Python literals.
/// </summary>
public static class PythonRepr
{
    private const int MaxDepth = 1000;

    /// <summary>
    /// Python's <c>repr()</c> of <paramref name="value"/>: <c>None</c>/<c>True</c>/<c>False</c>; ints; floats as Python prints them
    /// (<c>1.0</c>, <c>1e+16</c>, <c>inf</c>, <c>nan</c>); complex (<c>(1+2j)</c>); str with Python's quoting and escapes; <c>byte[]</c>
    /// (and byte memories) as <c>b'...'</c>; <see cref="PyTuple"/> as <c>(1,)</c>; lists as <c>[1, 2]</c>; sets as <c>{1, 2}</c> or <c>set()</c>;
    /// dictionaries as <c>{'k': v}</c>. Other .NET numbers and chars print like the Python value they serialize to;
    /// an <see cref="IPyroWireValue"/> prints as its wire value; anything else as <c>&lt;TypeName: ToString()&gt;</c>.
    /// Self-containing containers print as <c>[...]</c> / <c>{...}</c>, like Python.
    /// </summary>
    public static string Format(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new PythonLiteralWriter(buffer);
        var path = new List<object>();
        Write(ref writer, value, path);
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(ref PythonLiteralWriter w, object? value, List<object> path)
    {
        switch (value)
        {
            case null: w.WriteRaw("None"u8); return;
            case string s: w.WriteStringRepr(s); return;
            case bool b: w.WriteRaw(b ? "True"u8 : "False"u8); return;
            case int i: w.WriteInt64(i); return;
            case long l: w.WriteInt64(l); return;
            case double d: w.WriteDoubleRepr(d); return;
            case BigInteger big: w.WriteBigInteger(big, enforceLimit: false); return;
            case float f: w.WriteDoubleRepr(f); return;
            case Half h: w.WriteDoubleRepr((double)h); return;
            case char c: w.WriteStringRepr([c]); return;
            case sbyte v: w.WriteInt64(v); return;
            case byte v: w.WriteInt64(v); return;
            case short v: w.WriteInt64(v); return;
            case ushort v: w.WriteInt64(v); return;
            case uint v: w.WriteInt64(v); return;
            case ulong v: w.WriteUInt64(v); return;
            case Int128 v: w.WriteInt128(v); return;
            case UInt128 v: w.WriteUInt128(v); return;
            case Complex z: WriteComplex(ref w, z); return;
            case decimal m:
                Span<char> text = stackalloc char[PythonLiteralWriter.MaxDecimalLength];
                int length = PythonLiteralWriter.FormatDecimal(m, text);
                w.WriteRaw("Decimal('"u8);
                w.WriteAscii(text[..length]);
                w.WriteRaw("')"u8);
                return;
            case byte[] bytes: w.WriteBytesRepr(bytes); return;
            case ReadOnlyMemory<byte> rom: w.WriteBytesRepr(rom.Span); return;
            case Memory<byte> mem: w.WriteBytesRepr(mem.Span); return;
            case ArraySegment<byte> seg: w.WriteBytesRepr(seg.AsSpan()); return;
            case IPyroWireValue wire:
                if (!Enter(ref w, wire, path, "..."u8)) return;
                Write(ref w, wire.ToWireValue(), path);
                path.RemoveAt(path.Count - 1);
                return;
            case PyTuple tuple:
                if (!Enter(ref w, tuple, path, "(...)"u8)) return;
                w.WriteByte((byte)'(');
                for (int i = 0; i < tuple.Count; i++)
                {
                    if (i > 0) w.WriteRaw(", "u8);
                    Write(ref w, tuple[i], path);
                }
                if (tuple.Count == 1) w.WriteByte((byte)',');
                w.WriteByte((byte)')');
                path.RemoveAt(path.Count - 1);
                return;
            case IDictionary dict:
                if (!Enter(ref w, dict, path, "{...}"u8)) return;
                w.WriteByte((byte)'{');
                bool firstEntry = true;
                foreach (DictionaryEntry entry in dict)
                {
                    if (!firstEntry) w.WriteRaw(", "u8);
                    firstEntry = false;
                    Write(ref w, entry.Key, path);
                    w.WriteRaw(": "u8);
                    Write(ref w, entry.Value, path);
                }
                w.WriteByte((byte)'}');
                path.RemoveAt(path.Count - 1);
                return;
            case IReadOnlyDictionary<string, object?> dict:
                if (!Enter(ref w, dict, path, "{...}"u8)) return;
                w.WriteByte((byte)'{');
                bool firstPair = true;
                foreach (KeyValuePair<string, object?> entry in dict)
                {
                    if (!firstPair) w.WriteRaw(", "u8);
                    firstPair = false;
                    w.WriteStringRepr(entry.Key);
                    w.WriteRaw(": "u8);
                    Write(ref w, entry.Value, path);
                }
                w.WriteByte((byte)'}');
                path.RemoveAt(path.Count - 1);
                return;
            case ISet<object?> or IReadOnlySet<object?>:
                WriteSet(ref w, (IEnumerable)value, path);
                return;
            case ITuple tuple:
                if (!Enter(ref w, tuple, path, "(...)"u8)) return;
                w.WriteByte((byte)'(');
                for (int i = 0; i < tuple.Length; i++)
                {
                    if (i > 0) w.WriteRaw(", "u8);
                    Write(ref w, tuple[i], path);
                }
                if (tuple.Length == 1) w.WriteByte((byte)',');
                w.WriteByte((byte)')');
                path.RemoveAt(path.Count - 1);
                return;
            case IEnumerable sequence:
                if (!Enter(ref w, sequence, path, "[...]"u8)) return;
                w.WriteByte((byte)'[');
                bool firstItem = true;
                foreach (object? item in sequence)
                {
                    if (!firstItem) w.WriteRaw(", "u8);
                    firstItem = false;
                    Write(ref w, item, path);
                }
                w.WriteByte((byte)']');
                path.RemoveAt(path.Count - 1);
                return;
            default:
                string typeName = value.GetType().FullName ?? value.GetType().Name;
                string? shown = value.ToString();
                w.WriteByte((byte)'<');
                WriteText(ref w, typeName);
                if (shown is not null && shown != typeName)
                {
                    w.WriteRaw(": "u8);
                    WriteText(ref w, shown);
                }
                w.WriteByte((byte)'>');
                return;
        }
    }

    private static void WriteSet(ref PythonLiteralWriter w, IEnumerable set, List<object> path)
    {
        IEnumerator e = set.GetEnumerator();
        try
        {
            if (!e.MoveNext())
            {
                w.WriteRaw("set()"u8);
                return;
            }
            if (!Enter(ref w, set, path, "{...}"u8)) return;
            w.WriteByte((byte)'{');
            Write(ref w, e.Current, path);
            while (e.MoveNext())
            {
                w.WriteRaw(", "u8);
                Write(ref w, e.Current, path);
            }
            w.WriteByte((byte)'}');
            path.RemoveAt(path.Count - 1);
        }
        finally
        {
            (e as IDisposable)?.Dispose();
        }
    }

    /// <summary>Pushes a container on the path; writes the placeholder and returns false for a cycle or excessive depth.</summary>
    private static bool Enter(ref PythonLiteralWriter w, object container, List<object> path, ReadOnlySpan<byte> placeholder)
    {
        if (path.Count >= MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            w.WriteRaw(placeholder);
            return false;
        }
        foreach (object outer in path)
        {
            if (ReferenceEquals(outer, container))
            {
                w.WriteRaw(placeholder);
                return false;
            }
        }
        path.Add(container);
        return true;
    }

    /// <summary>Python's complex repr: <c>2j</c> when the real part is +0, else <c>(re+imj)</c>; parts without a trailing <c>.0</c>.</summary>
    private static void WriteComplex(ref PythonLiteralWriter w, Complex z)
    {
        bool bare = z.Real == 0 && !double.IsNegative(z.Real);
        if (!bare)
        {
            w.WriteByte((byte)'(');
            WriteComplexPart(ref w, z.Real);
            if (!double.IsNegative(z.Imaginary) || double.IsNaN(z.Imaginary)) w.WriteByte((byte)'+');
        }
        WriteComplexPart(ref w, z.Imaginary);
        w.WriteByte((byte)'j');
        if (!bare) w.WriteByte((byte)')');
    }

    private static void WriteComplexPart(ref PythonLiteralWriter w, double part)
    {
        if (double.IsNaN(part))
        {
            w.WriteRaw("nan"u8);
            return;
        }
        if (double.IsInfinity(part))
        {
            w.WriteRaw(part > 0 ? "inf"u8 : "-inf"u8);
            return;
        }
        Span<char> chars = stackalloc char[40];
        int length = PythonFloat.Format(part, chars);
        if (length > 2 && chars[length - 2] == '.' && chars[length - 1] == '0') length -= 2; // 'r' format without the added .0
        w.WriteAscii(chars[..length]);
    }

    private static void WriteText(ref PythonLiteralWriter w, string text)
    {
        Span<byte> utf8 = stackalloc byte[256];
        foreach (Rune rune in text.EnumerateRunes())
        {
            int n = rune.EncodeToUtf8(utf8);
            w.WriteRaw(utf8[..n]);
        }
    }
}

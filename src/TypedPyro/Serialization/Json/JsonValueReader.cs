using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace TypedPyro.Serialization;

/// <summary>
/// Reads what Python's <c>json.loads</c> reads, into TypedPyro's untyped object model, using System.Text.Json's
/// <see cref="Utf8JsonReader"/> for tokenizing.
/// </summary>
/// <remarks>
/// <para>Utf8JsonReader rejects Python's bare <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c> tokens. A pre-pass
/// (<see cref="FindNonFiniteTokens"/>) finds them outside strings, in value position; only when there is one is the
/// input copied and each token overwritten by a number of the same length padded with spaces (<c>0  </c>); the parser
/// then substitutes the real value at that token offset. Input without a capital N or I outside strings is parsed in
/// place without a copy.</para>
/// <para>Strings are decoded by this class, not by <c>GetString()</c>, so that <c>\udXXX</c> escapes of lone
/// surrogates (which Python reads and writes) survive, and invalid UTF-8 is an error as it is for Python.</para>
/// </remarks>
internal static class JsonValueReader
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly SearchValues<byte> s_outsideString = SearchValues.Create("\"NI"u8);
    private static readonly SearchValues<byte> s_insideString = SearchValues.Create("\"\\"u8);
    private static readonly SearchValues<byte> s_floatMarks = SearchValues.Create(".eE"u8);

    public static object? Read(ReadOnlySpan<byte> data, int maxDepth)
    {
        if (data.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            throw new SerializeException("invalid json: unexpected UTF-8 BOM");

        List<(int Offset, double Value)>? specials = FindNonFiniteTokens(data);
        byte[]? rented = null;
        try
        {
            ReadOnlySpan<byte> text = data;
            if (specials is not null)
            {
                rented = ArrayPool<byte>.Shared.Rent(data.Length);
                Span<byte> copy = rented.AsSpan(0, data.Length);
                data.CopyTo(copy);
                foreach (var (offset, value) in specials)
                {
                    int length = double.IsNaN(value) ? 3 : value > 0 ? 8 : 9;
                    copy[offset] = (byte)'0';
                    copy.Slice(offset + 1, length - 1).Fill((byte)' ');
                }
                text = copy;
            }
            return Parse(text, specials, maxDepth);
        }
        catch (JsonException e)
        {
            throw new SerializeException("invalid json: " + e.Message, e);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Reads an INVOKE object, <c>{"object", "method", "params", "kwargs"}</c>, without the outer dict: params and a
    /// non-empty kwargs are read as values of their own; an empty kwargs is a shared empty dict. False (the caller then
    /// reads the document the general way, with its error messages) for anything else, including NaN/Infinity tokens.
    /// </summary>
    public static bool TryReadCall(ReadOnlySpan<byte> data, int maxDepth, out string? objectId, out string? method, out object? args, out object? kwargs)
    {
        (objectId, method, args, kwargs) = (null, null, null, null);
        bool haveArgs = false, haveKwargs = false;
        if (data.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) || FindNonFiniteTokens(data) is not null) return false;
        try
        {
            var reader = new Utf8JsonReader(data, new JsonReaderOptions { MaxDepth = maxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                int key = reader.ValueTextEquals("object"u8) ? 0 : reader.ValueTextEquals("method"u8) ? 1
                    : reader.ValueTextEquals("params"u8) ? 2 : reader.ValueTextEquals("kwargs"u8) ? 3 : -1;
                if (!reader.Read()) return false;
                switch (key)
                {
                    case 0 when objectId is null && reader.TokenType == JsonTokenType.String:
                        objectId = ReadCallName(ref reader);
                        break;
                    case 1 when method is null && reader.TokenType == JsonTokenType.String:
                        method = ReadCallName(ref reader);
                        break;
                    case 2 when !haveArgs && reader.TokenType == JsonTokenType.StartArray:
                        args = ReadSubValue(ref reader, data, maxDepth);
                        haveArgs = true;
                        break;
                    case 3 when !haveKwargs && reader.TokenType is JsonTokenType.Null or JsonTokenType.StartObject:
                        kwargs = reader.TokenType == JsonTokenType.Null ? null : ReadSubValue(ref reader, data, maxDepth);
                        haveKwargs = true;
                        break;
                    default:
                        return false;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return false;
            return objectId is not null && method is not null && haveArgs && haveKwargs;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The array or object starting at the reader's token, read as a value of its own ({} shared and empty).</summary>
    private static object? ReadSubValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, int maxDepth)
    {
        int start = (int)reader.TokenStartIndex;
        reader.Skip();
        int end = (int)reader.BytesConsumed;
        var text = data[start..end];
        if (text.SequenceEqual("{}"u8)) return System.Collections.ObjectModel.ReadOnlyDictionary<object, object?>.Empty;
        return Parse(text, null, maxDepth);
    }

    /// <summary>
    /// Offsets of bare <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c> tokens outside strings, where a value may start
    /// (after <c>[</c>, <c>,</c>, <c>:</c> or at the beginning). Null when there are none (the common case).
    /// Anything else that merely contains those letters is left for the tokenizer to reject, as Python does.
    /// </summary>
    internal static List<(int Offset, double Value)>? FindNonFiniteTokens(ReadOnlySpan<byte> data)
    {
        if (data.IndexOfAny((byte)'N', (byte)'I') < 0) return null;
        List<(int, double)>? found = null;
        int i = 0;
        while (i < data.Length)
        {
            int rel = data[i..].IndexOfAny(s_outsideString);
            if (rel < 0) break;
            i += rel;
            switch (data[i])
            {
                case (byte)'"':
                    i = SkipString(data, i + 1);
                    continue;
                case (byte)'N':
                    if (data[i..].StartsWith("NaN"u8) && IsValueStart(data, i))
                    {
                        (found ??= []).Add((i, double.NaN));
                        i += 3;
                        continue;
                    }
                    break;
                default: // 'I'
                    if (data[i..].StartsWith("Infinity"u8))
                    {
                        if (i > 0 && data[i - 1] == (byte)'-')
                        {
                            if (IsValueStart(data, i - 1)) (found ??= []).Add((i - 1, double.NegativeInfinity));
                        }
                        else if (IsValueStart(data, i))
                        {
                            (found ??= []).Add((i, double.PositiveInfinity));
                        }
                        i += 8;
                        continue;
                    }
                    break;
            }
            i++;
        }
        return found;
    }

    private static int SkipString(ReadOnlySpan<byte> data, int i)
    {
        while (i < data.Length)
        {
            int rel = data[i..].IndexOfAny(s_insideString);
            if (rel < 0) return data.Length;
            i += rel;
            if (data[i] == (byte)'"') return i + 1;
            i += 2; // backslash and the escaped byte
        }
        return data.Length;
    }

    private static bool IsValueStart(ReadOnlySpan<byte> data, int position)
    {
        int j = position - 1;
        while (j >= 0 && data[j] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') j--;
        return j < 0 || data[j] is (byte)'[' or (byte)',' or (byte)':';
    }

    private struct Frame
    {
        public object Container;
        public string? Key;
    }

    private static object? Parse(ReadOnlySpan<byte> text, List<(int Offset, double Value)>? specials, int maxDepth)
    {
        var reader = new Utf8JsonReader(text, new JsonReaderOptions
        {
            MaxDepth = maxDepth,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        });
        Frame[] frames = ArrayPool<Frame>.Shared.Rent(16);
        try
        {
            return Parse(ref reader, ref frames, specials);
        }
        finally
        {
            ArrayPool<Frame>.Shared.Return(frames, clearArray: true);
        }
    }

    private static object? Parse(ref Utf8JsonReader reader, ref Frame[] frames, List<(int Offset, double Value)>? specials)
    {
        int depth = 0;
        int nextSpecial = 0;
        object? result = null;

        while (reader.Read())
        {
            object? value;
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    if (depth == frames.Length)
                    {
                        var bigger = ArrayPool<Frame>.Shared.Rent(depth * 2);
                        frames.AsSpan(0, depth).CopyTo(bigger);
                        ArrayPool<Frame>.Shared.Return(frames, clearArray: true);
                        frames = bigger;
                    }
                    frames[depth++] = new Frame
                    {
                        Container = reader.TokenType == JsonTokenType.StartObject ? new Dictionary<object, object?>() : new List<object?>(),
                    };
                    continue;
                case JsonTokenType.EndObject:
                    value = FinishObject((Dictionary<object, object?>)frames[--depth].Container);
                    frames[depth] = default;
                    break;
                case JsonTokenType.EndArray:
                    value = frames[--depth].Container;
                    frames[depth] = default;
                    break;
                case JsonTokenType.PropertyName:
                    frames[depth - 1].Key = ReadString(ref reader);
                    continue;
                case JsonTokenType.String:
                    value = ReadString(ref reader);
                    break;
                case JsonTokenType.Number:
                    if (specials is not null && nextSpecial < specials.Count && specials[nextSpecial].Offset == reader.TokenStartIndex)
                        value = specials[nextSpecial++].Value;
                    else
                        value = ReadNumber(reader.ValueSpan);
                    break;
                case JsonTokenType.True: value = true; break;
                case JsonTokenType.False: value = false; break;
                case JsonTokenType.Null: value = null; break;
                default:
                    throw new SerializeException("invalid json: unexpected token " + reader.TokenType);
            }

            if (depth == 0)
            {
                result = value;
                continue;
            }
            ref Frame top = ref frames[depth - 1];
            if (top.Container is List<object?> list)
            {
                list.Add(value);
            }
            else
            {
                ((Dictionary<object, object?>)top.Container)[top.Key!] = value;
                top.Key = null;
            }
        }
        return result;
    }

    /// <summary>Serpent's NaN form <c>{"__class__": "float", "value": "nan"}</c> becomes a double; other dicts stay dicts.</summary>
    private static object FinishObject(Dictionary<object, object?> map)
    {
        if (map.Count >= 2
            && map.TryGetValue("__class__", out object? cls) && cls is "float"
            && map.TryGetValue("value", out object? text) && text is string s
            && PythonFloat.TryParse(s, out double number))
        {
            return number;
        }
        return map;
    }

    private static object ReadNumber(ReadOnlySpan<byte> raw)
    {
        if (raw.IndexOfAny(s_floatMarks) >= 0)
        {
            // Correctly rounded; overflow gives +/-infinity like Python's float("1e400").
            return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        if (Utf8Parser.TryParse(raw, out long small, out int consumed) && consumed == raw.Length) return small;

        int digits = raw.Length - (raw[0] == (byte)'-' ? 1 : 0);
        if (digits > JsonPyFormat.MaxIntDigits)
            throw new SerializeException($"invalid json: integer with {digits} digits; Python refuses ints longer than {JsonPyFormat.MaxIntDigits} digits");
        Span<char> chars = stackalloc char[raw.Length];
        for (int i = 0; i < raw.Length; i++) chars[i] = (char)raw[i];
        BigInteger big = BigInteger.Parse(chars, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return big >= long.MinValue && big <= long.MaxValue ? (object)(long)big : big;
    }

    /// <summary>An object id or method name: a short plain ASCII one comes from <see cref="CallNameCache"/>.</summary>
    private static string ReadCallName(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> raw = reader.ValueSpan;
        return !reader.ValueIsEscaped && raw.Length is > 0 and <= CallNameCache.MaxLength && !raw.ContainsAnyInRange((byte)0x80, (byte)0xFF)
            ? CallNameCache.Get(raw)
            : ReadString(ref reader);
    }

    private static string ReadString(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> raw = reader.ValueSpan;
        if (raw.IsEmpty) return string.Empty;
        try
        {
            return reader.ValueIsEscaped ? Unescape(raw) : s_strictUtf8.GetString(raw);
        }
        catch (DecoderFallbackException e)
        {
            throw new SerializeException("invalid json: string is not valid UTF-8", e);
        }
    }

    private static string Unescape(ReadOnlySpan<byte> raw)
    {
        // UTF-16 never needs more chars than the UTF-8/escaped form has bytes.
        char[]? rented = null;
        Span<char> chars = raw.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(raw.Length));
        try
        {
            int length = 0;
            while (!raw.IsEmpty)
            {
                int backslash = raw.IndexOf((byte)'\\');
                ReadOnlySpan<byte> run = backslash < 0 ? raw : raw[..backslash];
                if (!run.IsEmpty) length += s_strictUtf8.GetChars(run, chars[length..]);
                if (backslash < 0) break;
                if (backslash + 1 >= raw.Length) throw new SerializeException("invalid json: bad escape");
                byte kind = raw[backslash + 1];
                int used = 2;
                char c;
                switch (kind)
                {
                    case (byte)'"': c = '"'; break;
                    case (byte)'\\': c = '\\'; break;
                    case (byte)'/': c = '/'; break;
                    case (byte)'b': c = '\b'; break;
                    case (byte)'f': c = '\f'; break;
                    case (byte)'n': c = '\n'; break;
                    case (byte)'r': c = '\r'; break;
                    case (byte)'t': c = '\t'; break;
                    case (byte)'u':
                        if (backslash + 6 > raw.Length || !Utf8Parser.TryParse(raw.Slice(backslash + 2, 4), out ushort code, out int hexLength, 'x') || hexLength != 4)
                            throw new SerializeException("invalid json: bad \\u escape");
                        // Surrogate pairs combine by themselves in UTF-16; lone surrogates are kept, as Python keeps them.
                        c = (char)code;
                        used = 6;
                        break;
                    default:
                        throw new SerializeException("invalid json: bad escape");
                }
                chars[length++] = c;
                raw = raw[(backslash + used)..];
            }
            return new string(chars[..length]);
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }
}

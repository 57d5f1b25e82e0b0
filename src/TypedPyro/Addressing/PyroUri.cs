using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Text;
using TypedPyro.Serialization;

namespace TypedPyro;

/// <summary>
/// A Pyro URI, Python's <c>Pyro4.core.URI</c>: <c>PYRO:objectId@host:port</c>, <c>PYRO:objectId@./u:socketpath</c>,
/// <c>PYRONAME:name[@nshost[:nsport]]</c> or <c>PYROMETA:tag[,tag...][@nshost[:nsport]]</c>.
/// Immutable; equality compares protocol, object (the tag set for PYROMETA), socket path, host and port, as Python does.
/// </summary>
/// <remarks>
/// <see cref="Parse(string)"/> accepts exactly what Python's <c>URI(str)</c> accepts and <see cref="ToString"/> gives
/// Python's <c>str(uri)</c>. On the wire a URI object travels as
/// <c>{'__class__': 'Pyro4.core.URI', 'state': (protocol, object, sockname, host, port)}</c> (see <see cref="ToWireValue"/>).
/// The rules are described in <c>docs/uris.md</c>.
/// </remarks>
public sealed class PyroUri : IEquatable<PyroUri>, IPyroWireValue
{
    /// <summary>The name server port used when a PYRONAME or PYROMETA location has no port (Pyro's NS_PORT default).</summary>
    public const int DefaultNsPort = 9090;

    /// <summary>The <c>__class__</c> name of a URI's wire form.</summary>
    public const string WireClassName = "Pyro4.core.URI";

    private const string UnixSocketPrefix = "./u:";

    private readonly string[] _tags;
    private readonly IReadOnlyList<string> _readOnlyTags;

    private PyroUri(PyroUriProtocol protocol, string obj, string[] tags, string? unixSocketPath, string? host, int? port)
    {
        Protocol = protocol;
        Object = obj;
        _tags = tags;
        _readOnlyTags = tags.Length == 0 ? [] : Array.AsReadOnly(tags);
        UnixSocketPath = unixSocketPath;
        Host = host;
        Port = port;
    }

    /// <summary>
    /// Creates a daemon object URI <c>PYRO:objectId@host:port</c> (<c>[host]:port</c> for IPv6 hosts), like a Pyro daemon's
    /// <c>uriFor()</c>.
    /// </summary>
    /// <param name="objectId">The object id; non-empty, without whitespace or <c>@</c>.</param>
    /// <param name="host">A host name or IP address (an IPv6 address without brackets); non-empty.</param>
    /// <param name="port">The TCP port, 0 to 65535.</param>
    /// <exception cref="ArgumentException">The parts would not form a URI that parses back to the same parts.</exception>
    public PyroUri(string objectId, string host, int port)
        : this(Build(PyroUriProtocol.Pyro, objectId, host, port, nameof(objectId)))
    {
    }

    private PyroUri(PyroUri other)
        : this(other.Protocol, other.Object, other._tags, other.UnixSocketPath, other.Host, other.Port)
    {
    }

    /// <summary>The protocol.</summary>
    public PyroUriProtocol Protocol { get; }

    /// <summary>The protocol as written in URIs: <c>PYRO</c>, <c>PYRONAME</c> or <c>PYROMETA</c>.</summary>
    public string ProtocolName => ProtocolToName(Protocol);

    /// <summary>
    /// The object id (PYRO), the logical name (PYRONAME), or for PYROMETA the tags joined with <c>,</c>
    /// (each tag once, in order of first appearance; see <see cref="MetaTags"/>).
    /// </summary>
    public string Object { get; }

    /// <summary>For PYROMETA the distinct tags in order of first appearance (Python keeps a set); empty otherwise.</summary>
    public IReadOnlyList<string> MetaTags => _readOnlyTags;

    /// <summary>The host name or address (IPv6 without brackets); <c>null</c> for Unix sockets and location-less URIs.</summary>
    /// <remarks>It can be the empty string: Python accepts <c>PYRO:obj@:1234</c>, whose <see cref="Location"/> is then <c>null</c>.</remarks>
    public string? Host { get; }

    /// <summary>The TCP port; <c>null</c> for Unix sockets and location-less URIs.</summary>
    public int? Port { get; }

    /// <summary>The Unix domain socket path (Python's <c>sockname</c>), or <c>null</c>.</summary>
    public string? UnixSocketPath { get; }

    /// <summary>Whether the location is a Unix domain socket (<c>./u:path</c>).</summary>
    [MemberNotNullWhen(true, nameof(UnixSocketPath))]
    public bool IsUnixSocket => UnixSocketPath is not null;

    /// <summary>
    /// The location as Python's <c>uri.location</c>: <c>host:port</c>, <c>[ipv6]:port</c>, <c>./u:path</c>, or <c>null</c>
    /// when there is none (also when the host is empty).
    /// </summary>
    public string? Location
    {
        get
        {
            if (!string.IsNullOrEmpty(Host))
            {
                string port = Port!.Value.ToString(CultureInfo.InvariantCulture);
                return Host.Contains(':') ? "[" + Host + "]:" + port : Host + ":" + port;
            }
            return UnixSocketPath is { Length: > 0 } path ? UnixSocketPrefix + path : null;
        }
    }

    /// <summary>The same <c>PYRO:</c> location with another object id (how a daemon makes the URIs of its objects).</summary>
    /// <exception cref="InvalidOperationException">This is not a <c>PYRO:</c> URI.</exception>
    public PyroUri WithObject(string objectId)
    {
        if (Protocol != PyroUriProtocol.Pyro) throw new InvalidOperationException("only PYRO: URIs have a location to reuse");
        return UnixSocketPath is { } path ? ForUnixSocket(objectId, path) : new PyroUri(objectId, Host!, Port!.Value);
    }

    /// <summary>Creates a daemon object URI on a Unix domain socket, <c>PYRO:objectId@./u:socketPath</c>.</summary>
    /// <param name="objectId">The object id; non-empty, without whitespace or <c>@</c>.</param>
    /// <param name="socketPath">The socket path; non-empty, without <c>:</c> or line breaks.</param>
    /// <exception cref="ArgumentException">The parts would not form a URI that parses back to the same parts.</exception>
    public static PyroUri ForUnixSocket(string objectId, string socketPath)
    {
        ArgumentNullException.ThrowIfNull(objectId);
        ArgumentNullException.ThrowIfNull(socketPath);
        var uri = BuildAndParse("PYRO:" + objectId + "@" + UnixSocketPrefix + socketPath, nameof(socketPath), DefaultNsPort);
        Verify(uri.Object == objectId && uri.UnixSocketPath == socketPath, "the object id and socket path do not form a valid Pyro URI", nameof(objectId));
        return uri;
    }

    /// <summary>
    /// Creates a <c>PYRONAME:name</c> URI, with the name server location <c>@nsHost:nsPort</c> when
    /// <paramref name="nsHost"/> is given (the port defaults to <see cref="DefaultNsPort"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The parts would not form a URI that parses back to the same parts,
    /// or a port was given without a host.</exception>
    public static PyroUri ForName(string name, string? nsHost = null, int? nsPort = null)
        => BuildNs(PyroUriProtocol.PyroName, name, nsHost, nsPort, nameof(name));

    /// <summary>
    /// Creates a <c>PYROMETA:tag1,tag2</c> URI (name server entries carrying all the tags), with the name server
    /// location <c>@nsHost:nsPort</c> when <paramref name="nsHost"/> is given.
    /// </summary>
    /// <exception cref="ArgumentException">There are no tags, a tag contains whitespace, <c>,</c> or <c>@</c>, or a port
    /// was given without a host.</exception>
    public static PyroUri ForMeta(IEnumerable<string> tags, string? nsHost = null, int? nsPort = null)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var list = tags.Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0) throw new ArgumentException("a PYROMETA uri needs at least one tag", nameof(tags));
        foreach (var tag in list)
        {
            ArgumentNullException.ThrowIfNull(tag, nameof(tags));
            Verify(tag.Length > 0 && !tag.Contains(',') && !tag.Contains('@'), "invalid metadata tag '" + tag + "'", nameof(tags));
        }
        return BuildNs(PyroUriProtocol.PyroMeta, string.Join(",", list), nsHost, nsPort, nameof(tags));
    }

    /// <summary>Parses a URI string exactly as Python's <c>Pyro4.core.URI(text)</c> does, with NS_PORT 9090.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="uri"/> is null.</exception>
    /// <exception cref="PyroException">The text is not a valid URI; the message is Python's (e.g. <c>invalid uri</c>).</exception>
    public static PyroUri Parse(string uri) => Parse(uri, DefaultNsPort);

    /// <summary>
    /// Parses a URI string exactly as Python's <c>Pyro4.core.URI(text)</c> does; <paramref name="defaultNsPort"/>
    /// (Pyro's config NS_PORT) is the port of a PYRONAME/PYROMETA location given without one.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="uri"/> is null.</exception>
    /// <exception cref="PyroException">The text is not a valid URI; the message is Python's (e.g. <c>invalid uri</c>).</exception>
    public static PyroUri Parse(string uri, int defaultNsPort)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var error = TryParseCore(uri, defaultNsPort, out var result);
        return error is null ? result! : throw new PyroException(error);
    }

    /// <summary>Tries to parse a URI string (see <see cref="Parse(string)"/>); never throws.</summary>
    public static bool TryParse([NotNullWhen(true)] string? uri, [NotNullWhen(true)] out PyroUri? result)
        => TryParse(uri, DefaultNsPort, out result);

    /// <summary>Tries to parse a URI string (see <see cref="Parse(string, int)"/>); never throws.</summary>
    public static bool TryParse([NotNullWhen(true)] string? uri, int defaultNsPort, [NotNullWhen(true)] out PyroUri? result)
    {
        result = null;
        return uri is not null && TryParseCore(uri, defaultNsPort, out result) is null;
    }

    /// <summary>
    /// Reads a URI from the untyped object model: a <see cref="PyroUri"/>, a URI string, or the wire dictionary
    /// <c>{'__class__': 'Pyro4.core.URI', 'state': (protocol, object, sockname, host, port)}</c> whose state may be a
    /// tuple (serpent, marshal) or a list (json).
    /// </summary>
    /// <param name="value">The decoded value.</param>
    /// <param name="defaultNsPort">NS_PORT, used when a URI string has a PYRONAME/PYROMETA location without port.</param>
    /// <exception cref="PyroException">The value is none of these, or its state is malformed.</exception>
    public static PyroUri FromWireValue(object? value, int defaultNsPort = DefaultNsPort)
    {
        switch (value)
        {
            case PyroUri uri:
                return uri;
            case string text:
                return Parse(text, defaultNsPort);
            case IDictionary dict:
                if (!dict.Contains("__class__") || dict["__class__"] is not WireClassName)
                    throw new PyroException("expected a Pyro4.core.URI, got a dict of class " + Describe(dict.Contains("__class__") ? dict["__class__"] : null));
                if (!dict.Contains("state")) throw new PyroException("invalid Pyro4.core.URI state: missing 'state'");
                return FromState(dict["state"]);
            default:
                throw new PyroException("expected a Pyro uri (string or Pyro4.core.URI), got " + Describe(value));
        }
    }

    /// <summary>
    /// The wire form: a dictionary <c>{"__class__": "Pyro4.core.URI", "state": (protocol, object, sockname, host, port)}</c>
    /// with a <see cref="PyTuple"/> state, <see cref="long"/> port (or null), and for PYROMETA a <see cref="HashSet{T}"/> of tags.
    /// </summary>
    public object ToWireValue()
    {
        object obj = Protocol == PyroUriProtocol.PyroMeta
            ? new HashSet<object?>(_tags, PyValueComparer.Instance)
            : Object;
        return new Dictionary<object, object?>
        {
            ["__class__"] = WireClassName,
            ["state"] = new PyTuple(ProtocolName, obj, UnixSocketPath, Host, Port is int port ? (long)port : null),
        };
    }

    // Serializers only read the wire value, and a URI never changes: it is built once (a name server answers every
    // lookup of a name with the same URI object). ToWireValue() itself still returns a fresh, caller-owned dictionary.
    object? IPyroWireValue.ToWireValue() => _wireValue ??= ToWireValue();

    private object? _wireValue;

    /// <summary>Python's <c>str(uri)</c>: <c>PROTOCOL:object</c> followed by <c>@location</c> when there is a location.</summary>
    public override string ToString()
    {
        var location = Location;
        return location is null ? ProtocolName + ":" + Object : ProtocolName + ":" + Object + "@" + location;
    }

    /// <inheritdoc/>
    public bool Equals(PyroUri? other)
    {
        if (other is null) return false;
        if (ReferenceEquals(this, other)) return true;
        if (Protocol != other.Protocol || UnixSocketPath != other.UnixSocketPath || Host != other.Host || Port != other.Port) return false;
        if (Protocol != PyroUriProtocol.PyroMeta) return Object == other.Object;
        return _tags.Length == other._tags.Length && _tags.All(t => other._tags.Contains(t, StringComparer.Ordinal));
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PyroUri other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        int objectHash = 0;
        if (Protocol == PyroUriProtocol.PyroMeta)
        {
            foreach (var tag in _tags) objectHash ^= StringComparer.Ordinal.GetHashCode(tag);
        }
        else
        {
            objectHash = StringComparer.Ordinal.GetHashCode(Object);
        }
        return HashCode.Combine(Protocol, objectHash, UnixSocketPath, Host, Port);
    }

    /// <summary>Whether two URIs are equal.</summary>
    public static bool operator ==(PyroUri? left, PyroUri? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Whether two URIs differ.</summary>
    public static bool operator !=(PyroUri? left, PyroUri? right) => !(left == right);

    // ---------------------------------------------------------------------------------------------------------
    // Parsing: a hand-written equivalent of Python's
    //   re.match(r"(?P<protocol>[Pp][Yy][Rr][Oo][a-zA-Z]*):(?P<object>\S+?)(@(?P<location>.+))?$", uri)
    // followed by URI._parseLocation. Written out rather than as a .NET Regex because Python's \s, \d and $ differ
    // in details (\s includes U+001C..U+001F; $ also matches before one final "\n").

    private static string? TryParseCore(string uri, int defaultNsPort, out PyroUri? result)
    {
        result = null;
        if (!MatchUri(uri, out var protocolText, out var obj, out var location)) return "invalid uri";
        PyroUriProtocol protocol;
        string[] tags = [];
        string? error;
        string? sockname, host;
        int? port;
        switch (protocolText.ToUpperInvariant())
        {
            case "PYRONAME":
                protocol = PyroUriProtocol.PyroName;
                error = ParseLocation(location, defaultNsPort, out sockname, out host, out port);
                break;
            case "PYRO":
                protocol = PyroUriProtocol.Pyro;
                if (location is null) return "invalid uri";
                error = ParseLocation(location, null, out sockname, out host, out port);
                break;
            case "PYROMETA":
                protocol = PyroUriProtocol.PyroMeta;
                // Python: set(m.strip() for m in object.split(",")); the object has no whitespace, so strip is a no-op.
                tags = obj.Split(',').Distinct(StringComparer.Ordinal).ToArray();
                obj = string.Join(",", tags);
                error = ParseLocation(location, defaultNsPort, out sockname, out host, out port);
                break;
            default:
                return "invalid uri (protocol)";
        }
        if (error is not null) return error;
        result = new PyroUri(protocol, obj, tags, sockname, host, port);
        return null;
    }

    private static bool MatchUri(string s, out string protocol, out string obj, out string? location)
    {
        protocol = obj = "";
        location = null;

        // [Pp][Yy][Rr][Oo][a-zA-Z]*:
        if (s.Length < 5 || !s.AsSpan(0, 4).Equals("pyro", StringComparison.OrdinalIgnoreCase)) return false;
        int colon = 4;
        while (colon < s.Length && char.IsAsciiLetter(s[colon])) colon++;
        if (colon == s.Length || s[colon] != ':') return false;
        protocol = s[..colon];

        // (?P<object>\S+?)(@(?P<location>.+))?$ : the shortest object for which the rest matches.
        int start = colon + 1;
        for (int end = start + 1; end <= s.Length && !PythonText.IsSpace(s[end - 1]); end++)
        {
            if (end < s.Length && s[end] == '@')
            {
                // .+ takes everything up to the first newline; $ then needs the end of text or a final "\n".
                int newline = s.IndexOf('\n', end + 1);
                int locationEnd = newline < 0 ? s.Length : newline;
                if (locationEnd > end + 1 && (newline < 0 || newline == s.Length - 1))
                {
                    obj = s[start..end];
                    location = s[(end + 1)..locationEnd];
                    return true;
                }
            }
            if (end == s.Length || (end == s.Length - 1 && s[end] == '\n'))
            {
                obj = s[start..end];
                return true;
            }
        }
        return false;
    }

    private static string? ParseLocation(string? location, int? defaultPort, out string? sockname, out string? host, out int? port)
    {
        sockname = host = null;
        port = null;
        if (string.IsNullOrEmpty(location)) return null;
        if (location.StartsWith(UnixSocketPrefix, StringComparison.Ordinal))
        {
            sockname = location[UnixSocketPrefix.Length..];
            return sockname.Length == 0 || sockname.Contains(':') ? "invalid uri (location)" : null;
        }

        string? portText;
        if (location.StartsWith('['))
        {
            if (location.StartsWith("[[", StringComparison.Ordinal)) return "invalid ipv6 address: enclosed in too many brackets";
            // re.match(r"\[([0-9a-fA-F:%]+)](:(\d+))?", location): anything after that is ignored.
            int close = 1;
            while (close < location.Length && (char.IsAsciiHexDigit(location[close]) || location[close] is ':' or '%')) close++;
            if (close == 1 || close == location.Length || location[close] != ']')
                return "invalid ipv6 address: the part between brackets must be a numeric ipv6 address";
            host = location[1..close];
            portText = MatchColonDigits(location, close + 1);
        }
        else
        {
            int colon = location.IndexOf(':');
            host = colon < 0 ? location : location[..colon];
            portText = colon < 0 ? "" : location[(colon + 1)..];
        }

        if (string.IsNullOrEmpty(portText))
        {
            if (defaultPort is null) return "invalid port in uri, port=None";
            port = defaultPort;
            return null;
        }
        if (!PythonText.TryParseInt32(portText, out int value)) return "invalid port in uri, port=" + portText;
        port = value;
        return null;
    }

    // (:(\d+))? at index: the digits (Python \d = any Unicode decimal digit), or null if the group does not match.
    private static string? MatchColonDigits(string s, int index)
    {
        if (index >= s.Length || s[index] != ':') return null;
        int end = index + 1;
        while (end < s.Length && Rune.TryGetRuneAt(s, end, out var rune) && Rune.IsDigit(rune)) end += rune.Utf16SequenceLength;
        return end == index + 1 ? null : s[(index + 1)..end];
    }

    // ---------------------------------------------------------------------------------------------------------
    // Construction helpers: build the text Python's daemon would build, parse it, and insist the parts survived.

    private static PyroUri Build(PyroUriProtocol protocol, string obj, string host, int port, string paramName)
    {
        ArgumentNullException.ThrowIfNull(obj, paramName);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (host.Length == 0) throw new ArgumentException("the host must not be empty", nameof(host));
        string location = FormatHostPort(host, port);
        var uri = BuildAndParse(ProtocolToName(protocol) + ":" + obj + "@" + location, nameof(host), DefaultNsPort);
        Verify(uri.Object == obj && uri.Host == host && uri.Port == port, "the parts do not form a valid Pyro URI: " + obj + "@" + location, paramName);
        return uri;
    }

    private static PyroUri BuildNs(PyroUriProtocol protocol, string obj, string? nsHost, int? nsPort, string paramName)
    {
        ArgumentNullException.ThrowIfNull(obj, paramName);
        if (nsHost is null)
        {
            if (nsPort is not null) throw new ArgumentException("a name server port needs a name server host", nameof(nsPort));
            var bare = BuildAndParse(ProtocolToName(protocol) + ":" + obj, paramName, DefaultNsPort);
            Verify(bare.Object == obj && bare.Location is null, "not a valid name: '" + obj + "'", paramName);
            return bare;
        }
        return Build(protocol, obj, nsHost, nsPort ?? DefaultNsPort, paramName);
    }

    private static PyroUri BuildAndParse(string text, string paramName, int defaultNsPort)
    {
        var error = TryParseCore(text, defaultNsPort, out var uri);
        if (error is not null) throw new ArgumentException(error + ": " + text, paramName, new PyroException(error));
        return uri!;
    }

    private static void Verify(bool condition, string message, string paramName)
    {
        if (!condition) throw new ArgumentException(message, paramName);
    }

    private static string FormatHostPort(string host, int port)
    {
        string portText = port.ToString(CultureInfo.InvariantCulture);
        return host.Contains(':') ? "[" + host + "]:" + portText : host + ":" + portText;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Wire state.

    private static PyroUri FromState(object? state)
    {
        IReadOnlyList<object?>? items = state switch
        {
            IReadOnlyList<object?> list => list,
            IList list => list.Cast<object?>().ToList(),
            _ => null,
        };
        if (items is null || items.Count != 5)
            throw new PyroException("invalid Pyro4.core.URI state: expected (protocol, object, sockname, host, port), got " + Describe(state));
        if (items[0] is not string protocolText) throw new PyroException("invalid Pyro4.core.URI state: protocol must be a str");
        PyroUriProtocol protocol = protocolText.ToUpperInvariant() switch
        {
            "PYRO" => PyroUriProtocol.Pyro,
            "PYRONAME" => PyroUriProtocol.PyroName,
            "PYROMETA" => PyroUriProtocol.PyroMeta,
            _ => throw new PyroException("invalid uri (protocol)"),
        };

        string obj;
        string[] tags = [];
        if (protocol == PyroUriProtocol.PyroMeta)
        {
            // serpent sends a set; json turns the set into a list.
            if (items[1] is not IEnumerable collection || items[1] is string || items[1] is IDictionary)
                throw new PyroException("invalid Pyro4.core.URI state: PYROMETA object must be a set of str");
            var list = new List<string>();
            foreach (var tag in collection)
            {
                if (tag is not string s) throw new PyroException("invalid Pyro4.core.URI state: PYROMETA tags must be str");
                if (!list.Contains(s, StringComparer.Ordinal)) list.Add(s);
            }
            tags = [.. list];
            obj = string.Join(",", tags);
        }
        else
        {
            obj = items[1] as string ?? throw new PyroException("invalid Pyro4.core.URI state: object must be a str");
        }

        var sockname = OptionalString(items[2], "sockname");
        var host = OptionalString(items[3], "host");
        int? port = items[4] switch
        {
            null => null,
            int i => i,
            long l => l >= int.MinValue && l <= int.MaxValue ? (int)l : throw InvalidPort(l),
            BigInteger big => big >= int.MinValue && big <= int.MaxValue ? (int)big : throw InvalidPort(big),
            _ => throw new PyroException("invalid Pyro4.core.URI state: port must be an int or None"),
        };
        if (!string.IsNullOrEmpty(host) && port is null) throw new PyroException("invalid port in uri, port=None");
        return new PyroUri(protocol, obj, tags, sockname, host, port);
    }

    private static PyroException InvalidPort(object port)
        => new("invalid port in uri, port=" + Convert.ToString(port, CultureInfo.InvariantCulture));

    private static string? OptionalString(object? value, string field) => value switch
    {
        null => null,
        string s => s,
        _ => throw new PyroException("invalid Pyro4.core.URI state: " + field + " must be a str or None"),
    };

    private static string Describe(object? value) => value switch
    {
        null => "None",
        string s => PythonText.Repr(s),
        _ => value.GetType().Name,
    };

    private static string ProtocolToName(PyroUriProtocol protocol) => protocol switch
    {
        PyroUriProtocol.Pyro => "PYRO",
        PyroUriProtocol.PyroName => "PYRONAME",
        PyroUriProtocol.PyroMeta => "PYROMETA",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
    };
}

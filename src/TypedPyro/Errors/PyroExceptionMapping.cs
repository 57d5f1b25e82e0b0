using System.Collections;
using TypedPyro.Serialization;

namespace TypedPyro;

/// <summary>
/// Converts exceptions to and from Pyro's exception dictionaries
/// (<c>{'__class__': 'builtins.ValueError', '__exception__': True, 'args': (...), 'attributes': {...}}</c>).
/// The table of Python built-ins and Pyro errors is in <c>docs/exceptions.md</c>; no type is ever created from a
/// name that is not in it.
/// </summary>
public static class PyroExceptionMapping
{
    /// <summary>Attribute carrying the remote traceback (a list of strings).</summary>
    public const string TracebackAttribute = "_pyroTraceback";

    /// <summary>Attribute carrying the .NET type of an exception raised by a .NET daemon.</summary>
    public const string DotNetTypeAttribute = "_dotnetType";

    // Python name -> factory for the .NET exception a .NET caller catches. Order matters for ToPythonName below.
    private static readonly Dictionary<string, Func<string, Exception?, Exception>> Incoming = new(StringComparer.Ordinal)
    {
        ["builtins.ValueError"] = (m, i) => new ArgumentException(m, i),
        ["builtins.TypeError"] = (m, i) => new ArgumentTypeException(m, i),
        ["builtins.KeyError"] = (m, i) => new KeyNotFoundException(m, i),
        ["builtins.IndexError"] = (m, i) => new IndexOutOfRangeException(m, i),
        ["builtins.AttributeError"] = (m, i) => new MissingMemberException(m, i),
        ["builtins.NotImplementedError"] = (m, i) => new NotImplementedException(m, i),
        ["builtins.ZeroDivisionError"] = (m, i) => new DivideByZeroException(m, i),
        ["builtins.OverflowError"] = (m, i) => new OverflowException(m, i),
        ["builtins.RuntimeError"] = (m, i) => new InvalidOperationException(m, i),
        ["builtins.PermissionError"] = (m, i) => new UnauthorizedAccessException(m, i),
        ["builtins.FileNotFoundError"] = (m, i) => new FileNotFoundException(m, i),
        ["builtins.OSError"] = (m, i) => new IOException(m, i),
        ["builtins.IOError"] = (m, i) => new IOException(m, i),
        ["builtins.TimeoutError"] = (m, i) => new TimeoutException(m, i),
        ["builtins.AssertionError"] = (m, i) => new InvalidOperationException(m, i),
        ["builtins.StopIteration"] = (m, i) => new StopIterationException(m, i),
        ["Pyro4.errors.PyroError"] = (m, i) => new PyroException(m, i),
        ["Pyro4.errors.CommunicationError"] = (m, i) => new CommunicationException(m, i),
        ["Pyro4.errors.ConnectionClosedError"] = (m, i) => new ConnectionClosedException(m, i),
        ["Pyro4.errors.TimeoutError"] = (m, i) => new PyroTimeoutException(m, i),
        ["Pyro4.errors.ProtocolError"] = (m, i) => new ProtocolException(m, i),
        ["Pyro4.errors.MessageTooLargeError"] = (m, i) => new MessageTooLargeException(m, i),
        ["Pyro4.errors.SerializeError"] = (m, i) => new SerializeException(m, i),
        ["Pyro4.errors.NamingError"] = (m, i) => new NamingException(m, i),
        ["Pyro4.errors.DaemonError"] = (m, i) => new DaemonException(m, i),
        ["Pyro4.errors.SecurityError"] = (m, i) => new PyroSecurityException(m, i),
    };

    /// <summary>
    /// The Python class name a .NET exception travels as: the most specific match in the table, else
    /// <c>builtins.Exception</c> (Python peers refuse class names they do not know). A <see cref="RemoteException"/>
    /// keeps its remote name.
    /// </summary>
    public static string ToPythonName(Exception exception) => exception switch
    {
        RemoteException r => r.RemoteTypeName,
        StopIterationException => "builtins.StopIteration",
        MessageTooLargeException => "Pyro4.errors.MessageTooLargeError",
        SerializeException => "Pyro4.errors.SerializeError",
        ProtocolException => "Pyro4.errors.ProtocolError",
        PyroTimeoutException => "Pyro4.errors.TimeoutError",
        ConnectionClosedException => "Pyro4.errors.ConnectionClosedError",
        CommunicationException => "Pyro4.errors.CommunicationError",
        NamingException => "Pyro4.errors.NamingError",
        DaemonException => "Pyro4.errors.DaemonError",
        PyroSecurityException => "Pyro4.errors.SecurityError",
        PyroException => "Pyro4.errors.PyroError",
        ArgumentTypeException or InvalidCastException => "builtins.TypeError",
        ArgumentException or FormatException => "builtins.ValueError",
        KeyNotFoundException => "builtins.KeyError",
        IndexOutOfRangeException => "builtins.IndexError",
        MissingMemberException => "builtins.AttributeError",
        NotImplementedException or NotSupportedException => "builtins.NotImplementedError",
        DivideByZeroException => "builtins.ZeroDivisionError",
        OverflowException => "builtins.OverflowError",
        UnauthorizedAccessException => "builtins.PermissionError",
        FileNotFoundException => "builtins.FileNotFoundError",
        IOException => "builtins.OSError",
        TimeoutException => "builtins.TimeoutError",
        InvalidOperationException => "builtins.RuntimeError",
        _ => "builtins.Exception",
    };

    /// <summary>
    /// Builds the wire dictionary for an exception raised while serving a call. <c>args</c> is a 1-tuple with the
    /// message (safe for every Python exception constructor in the table); the .NET type and a Python-style traceback
    /// go in the attributes. An exception that came from a remote peer keeps its remote type, args and traceback.
    /// </summary>
    public static Dictionary<object, object?> ToWireValue(Exception exception)
    {
        // An exception that arrived from a peer (or its mapped .NET form) is forwarded as it came: multi-hop callers
        // see the original type, args and traceback.
        var remote = exception.GetRemoteException();
        string pythonName = remote?.RemoteTypeName ?? ToPythonName(exception);
        var args = remote is not null ? new PyTuple([.. remote.Args])
            : exception is StopIterationException ? PyTuple.Empty
            : new PyTuple(MessageOf(exception));

        var attributes = new Dictionary<object, object?>();
        if (remote is not null)
        {
            foreach (var (k, v) in remote.Attributes) attributes[k] = v;
        }
        attributes[DotNetTypeAttribute] = exception.GetType().FullName;
        attributes[TracebackAttribute] = Traceback(exception, pythonName, remote?.RemoteTraceback);
        return new Dictionary<object, object?>
        {
            ["__class__"] = pythonName,
            ["__exception__"] = true,
            ["args"] = args,
            ["attributes"] = attributes,
        };
    }

    private static string MessageOf(Exception exception)
        => exception is ArgumentException a && a.ParamName is not null
            ? a.Message.Replace($" (Parameter '{a.ParamName}')", "", StringComparison.Ordinal)
            : exception.Message;

    private static List<object?> Traceback(Exception exception, string pythonName, string? remoteTraceback)
    {
        var lines = new List<object?>();
        if (remoteTraceback is not null) lines.Add(remoteTraceback + "\n +--- This exception occurred remotely and passed through a .NET daemon:\n");
        lines.Add("Traceback (most recent call last):\n");
        // The .NET stack trace text, one frame a line, in Python's "most recent call last" order.
        var frames = (exception.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (int i = frames.Length - 1; i >= 0; i--) lines.Add("  " + frames[i] + "\n");
        lines.Add($"{pythonName[(pythonName.LastIndexOf('.') + 1)..]}: {MessageOf(exception)}\n");
        return lines;
    }

    /// <summary>True when <paramref name="value"/> is an exception dictionary.</summary>
    public static bool IsExceptionValue(object? value) => value is IDictionary map && map.Contains("__exception__") && map.Contains("__class__");

    /// <summary>
    /// Builds the exception a .NET caller catches for a received exception dictionary: the mapped .NET type with a
    /// <see cref="RemoteException"/> as its inner exception, or the <see cref="RemoteException"/> itself for types with
    /// no mapping.
    /// </summary>
    public static Exception FromWireValue(object? value)
    {
        if (value is not IDictionary map || map["__class__"] is not string className)
            return new ProtocolException("invalid exception reply from the peer");
        var args = map.Contains("args") && map["args"] is IEnumerable a and not string ? a.Cast<object?>().ToList() : [];
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        string? traceback = null;
        if (map.Contains("attributes") && map["attributes"] is IDictionary attrs)
        {
            foreach (DictionaryEntry e in attrs)
            {
                if (e.Key is not string key) continue;
                if (key == TracebackAttribute) traceback = e.Value is IEnumerable parts and not string ? string.Concat(parts.Cast<object?>()) : e.Value as string;
                else attributes[key] = e.Value;
            }
        }
        string message = args.Count switch
        {
            0 => "",
            1 => args[0] as string ?? PythonRepr.Format(args[0]),
            _ => PythonRepr.Format(new PyTuple([.. args])),
        };
        var remote = new RemoteException(className, message, args, attributes, traceback);
        string normalized = className.StartsWith("exceptions.", StringComparison.Ordinal) ? "builtins." + className["exceptions.".Length..] : className;
        return Incoming.TryGetValue(normalized, out var factory) ? factory(message, remote) : remote;
    }

    /// <summary>The <see cref="RemoteException"/> behind <paramref name="exception"/>, if it came from a remote peer.</summary>
    public static RemoteException? GetRemoteException(this Exception exception)
        => exception as RemoteException ?? exception.InnerException as RemoteException;
}

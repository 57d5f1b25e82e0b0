namespace TypedPyro;

/// <summary>One incoming method call, as the daemon hands it to a dispatcher.</summary>
/// <param name="Method">The exposed method name.</param>
/// <param name="Args">Positional arguments, in the untyped object model.</param>
/// <param name="Kwargs">Keyword arguments, or null.</param>
/// <param name="Context">The call context (client, correlation id, annotations...).</param>
public sealed record PyroInvocation(
    string Method,
    IReadOnlyList<object?> Args,
    IReadOnlyDictionary<string, object?>? Kwargs,
    PyroCallContext Context)
{
    /// <summary>
    /// The argument at <paramref name="position"/>, or the keyword argument <paramref name="name"/>, or
    /// <paramref name="defaultValue"/> when <paramref name="optional"/>. Python's binding rules: a value may not be
    /// given both ways.
    /// </summary>
    /// <exception cref="ArgumentTypeException">Missing, or given twice.</exception>
    public object? Arg(int position, string name, bool optional = false, object? defaultValue = null)
    {
        bool positional = position < Args.Count;
        bool keyword = Kwargs is not null && Kwargs.ContainsKey(name);
        if (positional && keyword) throw new ArgumentTypeException($"{Method}() got multiple values for argument '{name}'");
        if (positional) return Args[position];
        if (keyword) return Kwargs![name];
        if (optional) return defaultValue;
        throw new ArgumentTypeException($"{Method}() missing 1 required positional argument: '{name}'");
    }

    /// <summary>A required argument converted to its declared type; a conversion failure is Python's TypeError naming the argument.</summary>
    public T Arg<T>(int position, string name, Func<object?, T> convert)
        => Args is Serialization.CallArguments read && position < read.Count && Kwargs is not { Count: > 0 } && TryUnboxed(read, position, out T value)
            ? value
            : Convert(Arg(position, name), name, convert);

    /// <summary>
    /// An int or float argument the serializer read without boxing, taken as the declared numeric type without
    /// boxing it now: the value <c>convert</c> would give. False for anything else, which then takes the ordinary way.
    /// </summary>
    private static bool TryUnboxed<T>(Serialization.CallArguments arguments, int position, out T value)
    {
        // typeof(T) tests on a value type are constants to the JIT: each instantiation keeps one branch, and the
        // (T)(object) casts compile to plain moves.
        if (typeof(T) == typeof(long) && arguments.TryGetInt64(position, out long integer))
        {
            value = (T)(object)integer;
            return true;
        }
        if (typeof(T) == typeof(int) && arguments.TryGetInt64(position, out integer) && integer is >= int.MinValue and <= int.MaxValue)
        {
            value = (T)(object)(int)integer;
            return true;
        }
        if (typeof(T) == typeof(double))
        {
            if (arguments.TryGetDouble(position, out double real))
            {
                value = (T)(object)real;
                return true;
            }
            if (arguments.TryGetInt64(position, out integer))
            {
                value = (T)(object)(double)integer;
                return true;
            }
        }
        value = default!;
        return false;
    }

    /// <summary>An optional argument converted to its declared type, or <paramref name="defaultValue"/> when not given.</summary>
    public T Arg<T>(int position, string name, Func<object?, T> convert, T defaultValue)
    {
        bool given = position < Args.Count || (Kwargs is not null && Kwargs.ContainsKey(name));
        return given ? Arg(position, name, convert) : defaultValue;
    }

    private T Convert<T>(object? value, string name, Func<object?, T> convert)
    {
        // A bulk bytes argument left in the receive buffer goes as it is only where it may stay a view or become
        // bytes; any other declared type gets the value the deserializer would have made.
        if (value is Serialization.BorrowedBytes borrowed && typeof(T) != typeof(ReadOnlyMemory<byte>) && typeof(T) != typeof(Memory<byte>) && typeof(T) != typeof(byte[]))
            value = borrowed.ToObjectModel();
        try
        {
            return convert(value);
        }
        catch (ArgumentTypeException e)
        {
            throw new ArgumentTypeException($"{Method}() argument '{name}': {e.Message}", e);
        }
        catch (OverflowException e)
        {
            throw new OverflowException($"{Method}() argument '{name}': {e.Message}", e);
        }
    }

    /// <summary>
    /// Checks that no more than <paramref name="count"/> positional arguments were given and that every keyword
    /// names one of <paramref name="names"/>, with Python's TypeError messages.
    /// </summary>
    public void ExpectAtMost(int count, params ReadOnlySpan<string> names)
    {
        if (Args.Count > count)
            throw new ArgumentTypeException($"{Method}() takes {count} positional argument{(count == 1 ? "" : "s")} but {Args.Count} were given");
        if (Kwargs is null) return;
        foreach (var key in Kwargs.Keys)
        {
            if (names.IndexOf(key) < 0) throw new ArgumentTypeException($"{Method}() got an unexpected keyword argument '{key}'");
        }
    }
}

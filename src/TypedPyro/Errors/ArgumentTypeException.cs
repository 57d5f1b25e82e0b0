namespace TypedPyro;

/// <summary>
/// A call had the wrong number or types of arguments: Python's <c>TypeError</c>, both ways. A Python caller of a
/// .NET object sees <c>TypeError</c>; a .NET caller of a Python object that raised <c>TypeError</c> catches this
/// (an <see cref="ArgumentException"/>).
/// </summary>
public class ArgumentTypeException : ArgumentException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ArgumentTypeException() : base("TypeError") { }

    /// <summary>Creates the exception with a message.</summary>
    public ArgumentTypeException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ArgumentTypeException(string message, Exception? innerException) : base(message, innerException) { }
}

namespace TypedPyro;

/// <summary>Implemented by every generated proxy: the untyped connection it calls through.</summary>
public interface IPyroProxy
{
    /// <summary>The connection (URI, timeout, metadata, release).</summary>
    PyroProxy Connection { get; }
}

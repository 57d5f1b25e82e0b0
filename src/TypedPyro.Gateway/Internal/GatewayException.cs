namespace TypedPyro.Gateway.Internal;

/// <summary>A failure the gateway reports under a Python exception class name (Python raises it in the gateway).</summary>
internal sealed class GatewayException(string pythonClass, string message) : Exception(message)
{
    public string PythonClass { get; } = pythonClass;
}

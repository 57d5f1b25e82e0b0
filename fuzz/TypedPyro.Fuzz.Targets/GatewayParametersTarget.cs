using System.Buffers;
using System.Text;
using TypedPyro.Gateway;
using TypedPyro.Gateway.Internal;
using TypedPyro.Serialization;

namespace TypedPyro.Fuzz;

/// <summary>
/// The HTTP gateway's parameters: a url-encoded query or body (<see cref="FormParameters"/>, Python's
/// <c>parse_qs</c>), a multipart/form-data body, or an X-Pyro-Correlation-Id header (<see cref="PythonUuid"/>), and
/// then what the gateway does with the parameters: json keyword arguments of the call it makes.
/// </summary>
/// <remarks>The first input byte chooses the part (modulo 4: url-encoded UTF-8, url-encoded Latin-1, multipart, header).</remarks>
public sealed class GatewayParametersTarget : IFuzzTarget
{
    /// <summary>The multipart boundary the fuzzed bodies use (a body is what follows the headers).</summary>
    public const string Boundary = "fuzzboundary";

    /// <inheritdoc/>
    public string Name => "gateway";

    /// <inheritdoc/>
    public void Run(byte[] input)
    {
        if (input.Length == 0) return;
        var body = input.AsSpan(1);
        var parameters = new FormParameters();
        switch (input[0] % 4)
        {
            case 0:
                parameters.AddQuery(body, Encoding.UTF8);
                break;
            case 1:
                parameters.AddQuery(body, Encoding.Latin1);
                break;
            case 2:
                if (!ReadMultipart(parameters, body.ToArray())) return;
                break;
            default:
                ParseCorrelationId(Encoding.UTF8.GetString(body));
                return;
        }
        CallWith(parameters);
    }

    private static bool ReadMultipart(FormParameters parameters, byte[] body)
    {
        try
        {
            var read = PyroGateway.ReadMultipartAsync(parameters, body, Boundary, CancellationToken.None);
            // A memory stream completes every read at once; waiting is only a guard.
            if (!read.Wait(TimeSpan.FromSeconds(5))) throw new FuzzInvariantException("reading a multipart body from memory did not finish");
            return true;
        }
        catch (AggregateException e) when (e.InnerExceptions is [var inner] && IsMultipartError(inner))
        {
            return false;
        }
        catch (Exception e) when (IsMultipartError(e))
        {
            return false;
        }
    }

    /// <summary>The errors the gateway answers with 400 for a malformed multipart body.</summary>
    private static bool IsMultipartError(Exception e) => e is IOException or InvalidDataException or ArgumentException or FormatException;

    private static void ParseCorrelationId(string header)
    {
        try
        {
            _ = PythonUuid.Parse(header);
        }
        catch (GatewayException e) when (e.PythonClass == "builtins.ValueError")
        {
            // Python's ValueError for a malformed UUID: the documented error.
        }
    }

    /// <summary>The gateway's call: the parameters become json keyword arguments, which the daemon reads back.</summary>
    private static void CallWith(FormParameters parameters)
    {
        _ = parameters.ToString();
        _ = parameters.Get("$key");
        parameters.Remove("$key");
        var kwargs = parameters.ToKeywordArguments();
        var output = new ArrayBufferWriter<byte>(256);
        PyroSerializers.Json.SerializeCall(output, "fuzz.object", "method", [], kwargs);
        var call = PyroSerializers.Json.DeserializeCall(output.WrittenSpan);
        if ((call.Kwargs?.Count ?? 0) != kwargs.Count)
            throw new FuzzInvariantException($"{kwargs.Count} parameters came back as {call.Kwargs?.Count ?? 0} keyword arguments");
        foreach (var (key, value) in kwargs)
        {
            if (call.Kwargs is null || !call.Kwargs.TryGetValue(key, out var back) || !PyValueComparer.Instance.Equals(value, back))
                throw new FuzzInvariantException($"parameter '{key}' did not survive json");
        }
        _ = PythonJson.Dumps(kwargs.ToDictionary(p => (object)p.Key, p => p.Value));
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using TypedPyro.Gateway.Internal;
using TypedPyro.Protocol;
using TypedPyro.Serialization;

namespace TypedPyro.Gateway;

/// <summary>
/// The HTTP gateway application (Python's <c>Pyro4.utils.httpgateway.pyro_app</c>): <c>/pyro/&lt;object&gt;/&lt;method&gt;</c>
/// calls a method of an object found through the name server, with the query string or form fields as keyword
/// arguments, and answers with the daemon's json. Status codes, headers and bodies are Python's; see
/// <c>docs/gateway.md</c>.
/// </summary>
/// <remarks>
/// <para>Stateless like Python's: each call looks the name up and uses a new proxy (json serializer), closed after the
/// call. The name server proxy is kept and pinged before each use, as Python does.</para>
/// <para>Host it with <see cref="PyroGatewayServer"/>, <see cref="PyroGatewayEndpointRouteBuilderExtensions.MapPyroGateway"/>,
/// or any pipeline: <c>app.Run(gateway.HandleAsync)</c>. Thread-safe.</para>
/// </remarks>
public sealed partial class PyroGateway : IDisposable
{
    /// <summary>Content type of every json answer.</summary>
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>Response header with the call's correlation id (sent on successful calls only, as in Python).</summary>
    public const string CorrelationIdHeader = "X-Pyro-Correlation-Id";

    /// <summary>Request header with the gateway key.</summary>
    public const string GatewayKeyHeader = "X-Pyro-Gateway-Key";

    /// <summary>Request header with comma-separated options (<c>oneway</c>).</summary>
    public const string OptionsHeader = "X-Pyro-Options";

    /// <summary>Parameter that may carry the gateway key instead of the header.</summary>
    public const string KeyParameter = "$key";

    /// <summary>The pseudo-method that returns an object's metadata.</summary>
    public const string MetaMethod = "$meta";

    private const string TextPlain = "text/plain";
    private static readonly byte[] NotFoundBody = "Error 404: Not Found"u8.ToArray();
    private static readonly byte[] MethodNotAllowedBody = "Error 405: Method Not Allowed"u8.ToArray();
    private static readonly byte[] WrongKeyBody = "403 Forbidden - incorrect gateway api key"u8.ToArray();
    private static readonly byte[] DeniedBody = "403 Forbidden - access to the requested object has been denied"u8.ToArray();
    private static readonly byte[] NoNameServerBody = "Cannot connect to the Pyro name server. Is it running? Refresh page to retry."u8.ToArray();

    private readonly Regex? _expose;
    private readonly byte[]? _gatewayKey;
    private readonly PyroConfig _config;
    private readonly PyroProxyOptions _proxyOptions;
    private readonly NameServerConnection _nameServer;

    /// <summary>Creates the gateway.</summary>
    /// <exception cref="ArgumentException">The expose pattern is not a valid regular expression.</exception>
    public PyroGateway(PyroGatewayOptions? options = null)
    {
        Options = options ?? new PyroGatewayOptions();
        _config = Options.Config ?? PyroConfig.Default;
        _expose = string.IsNullOrEmpty(Options.ExposePattern) ? null : CompileExposePattern(Options.ExposePattern);
        _gatewayKey = string.IsNullOrEmpty(Options.GatewayKey) ? null : Encoding.UTF8.GetBytes(Options.GatewayKey);
        var timeout = Options.Timeout ?? _config.CommTimeout;
        _proxyOptions = new PyroProxyOptions
        {
            Serializer = SerializerId.Json,
            HmacKey = Options.HmacKey is { Length: > 0 } key ? key : null,
            Timeout = timeout > TimeSpan.Zero ? timeout : System.Threading.Timeout.InfiniteTimeSpan,
            Config = _config,
        };
        _nameServer = new NameServerConnection(Options, _config, _proxyOptions);
    }

    /// <summary>The settings.</summary>
    public PyroGatewayOptions Options { get; }

    /// <summary>
    /// True when <paramref name="objectName"/> may be called: the expose pattern matches at its start (Python's
    /// <c>re.match</c>), or there is no pattern.
    /// </summary>
    public bool IsExposed(string objectName)
    {
        ArgumentNullException.ThrowIfNull(objectName);
        if (_expose is null) return true;
        try
        {
            return _expose.IsMatch(objectName);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>Locates the name server now (Python's gateway does at start-up) and returns its URI.</summary>
    /// <exception cref="NamingException">"Failed to locate the nameserver".</exception>
    public async Task<PyroUri> ConnectNameServerAsync(CancellationToken cancellationToken = default)
    {
        var ns = await _nameServer.GetAsync(cancellationToken).ConfigureAwait(false);
        return ns.ResolvedUri ?? ns.Uri;
    }

    /// <summary>Handles one request like Python's <c>pyro_app</c>; never throws for a bad request or a failed call.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        string path = (request.Path.Value ?? "").TrimStart('/');
        try
        {
            if (path.Length == 0)
            {
                context.Response.StatusCode = StatusCodes.Status302Found;
                context.Response.Headers.Location = request.PathBase.Add("/pyro/").Value;
                context.Response.ContentLength = 0;
                return;
            }
            if (!path.StartsWith("pyro/", StringComparison.Ordinal))
            {
                await WriteAsync(context, StatusCodes.Status404NotFound, TextPlain, NotFoundBody).ConfigureAwait(false);
                return;
            }
            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsPost(request.Method))
            {
                await WriteAsync(context, StatusCodes.Status405MethodNotAllowed, TextPlain, MethodNotAllowedBody).ConfigureAwait(false);
                return;
            }
            var parameters = await ReadParametersAsync(context).ConfigureAwait(false);
            if (parameters is null) return;   // already answered (413, 400)
            await ProcessPyroRequestAsync(context, path[5..], parameters).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private async Task ProcessPyroRequestAsync(HttpContext context, string path, FormParameters parameters)
    {
        var cancellationToken = context.RequestAborted;
        if (path.Length == 0)
        {
            await WriteHomePageAsync(context).ConfigureAwait(false);
            return;
        }
        var match = PathPattern().Match(path);
        if (!match.Success)
        {
            await WriteAsync(context, StatusCodes.Status404NotFound, TextPlain, NotFoundBody).ConfigureAwait(false);
            return;
        }
        string objectName = match.Groups[1].Value, method = match.Groups[2].Value;
        if (_gatewayKey is not null)
        {
            string supplied = context.Request.Headers[GatewayKeyHeader].ToString();
            if (supplied.Length == 0) supplied = parameters.Get(KeyParameter) as string ?? "";
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(supplied), _gatewayKey))
            {
                await WriteAsync(context, StatusCodes.Status403Forbidden, TextPlain, WrongKeyBody).ConfigureAwait(false);
                return;
            }
            parameters.Remove(KeyParameter);
        }
        if (!IsExposed(objectName))
        {
            await WriteAsync(context, StatusCodes.Status403Forbidden, TextPlain, DeniedBody).ConfigureAwait(false);
            return;
        }

        bool oneway = context.Request.Headers[OptionsHeader].ToString().Split(',').Contains("oneway");
        try
        {
            var nameServer = await _nameServer.GetAsync(cancellationToken).ConfigureAwait(false);
            var lookup = await nameServer.InvokeRawAsync("lookup", [objectName], cancellationToken: cancellationToken).ConfigureAwait(false)
                ?? throw new ProtocolException("no reply from the name server");
            var lookupData = lookup.GetSerializedData(_config.MaxMessageSize);
            if (lookup.Has(MessageFlags.Exception))
            {
                // Python re-raises the name server's exception and answers json.dumps(class_to_dict(it)): the same dict.
                await WriteAsync(context, StatusCodes.Status500InternalServerError, JsonContentType,
                    PythonJson.EscapeNonAscii(lookupData.ToArray())).ConfigureAwait(false);
                LogError(context, parameters, PyroExceptionMapping.FromWireValue(PyroSerializers.Json.Deserialize(lookupData.Span)).ToString());
                return;
            }
            var uri = PyroUri.FromWireValue(PyroSerializers.Json.Deserialize(lookupData.Span));

            await using var proxy = new PyroProxy(uri, _proxyOptions);
            string header = context.Request.Headers[CorrelationIdHeader].ToString();
            var correlation = header.Length > 0 ? PythonUuid.Parse(header) : Guid.NewGuid();
            using var scope = PyroCorrelation.Begin(correlation);
            await proxy.ConnectAsync(cancellationToken).ConfigureAwait(false);
            var metadata = proxy.Metadata ?? new PyroObjectMetadata([]);

            if (method == MetaMethod)
            {
                var meta = new Dictionary<object, object?>
                {
                    ["methods"] = metadata.Methods.Order(StringComparer.Ordinal).ToList(),
                    ["attributes"] = metadata.Attributes.Order(StringComparer.Ordinal).ToList(),
                };
                await WriteAsync(context, StatusCodes.Status200OK, JsonContentType, PythonJson.Dumps(meta), correlation).ConfigureAwait(false);
                return;
            }

            PyroMessage? reply;
            if (metadata.Attributes.Contains(method))
            {
                if (parameters.Count > 0) throw new GatewayException("builtins.AssertionError", "attribute lookup can't have query parameters");
                reply = await proxy.InvokeRawAsync("__getattr__", [method], cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                if (proxy.Metadata is not null && !metadata.Methods.Contains(method))
                    throw new GatewayException("builtins.AttributeError", $"remote object '{proxy.ResolvedUri ?? uri}' has no exposed attribute or method '{method}'");
                reply = await proxy.InvokeRawAsync(method, [], parameters.ToKeywordArguments(), oneway, cancellationToken).ConfigureAwait(false);
            }

            if (reply is null || oneway)
                await WriteAsync(context, StatusCodes.Status200OK, JsonContentType, ReadOnlyMemory<byte>.Empty, correlation).ConfigureAwait(false);
            else if (reply.Has(MessageFlags.Exception))
                await WriteAsync(context, StatusCodes.Status500InternalServerError, JsonContentType, reply.GetSerializedData(_config.MaxMessageSize)).ConfigureAwait(false);
            else
                await WriteAsync(context, StatusCodes.Status200OK, JsonContentType, reply.GetSerializedData(_config.MaxMessageSize), correlation).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            LogError(context, parameters, e.ToString());
            await WriteAsync(context, StatusCodes.Status500InternalServerError, JsonContentType, PythonJson.Dumps(ExceptionToDict(e))).ConfigureAwait(false);
        }
    }

    /// <summary>Python's <c>SerializerBase.class_to_dict(exception)</c> for a failure in the gateway itself.</summary>
    internal static Dictionary<object, object?> ExceptionToDict(Exception e)
    {
        if (e.GetRemoteException() is { } remote)
        {
            var attributes = new Dictionary<object, object?>();
            foreach (var (k, v) in remote.Attributes) attributes[k] = v;
            if (remote.RemoteTraceback is { } traceback) attributes[PyroExceptionMapping.TracebackAttribute] = new List<object?> { traceback };
            return ExceptionDict(remote.RemoteTypeName, [.. remote.Args], attributes);
        }
        string pythonClass = e is GatewayException g ? g.PythonClass : PyroExceptionMapping.ToPythonName(e);
        return ExceptionDict(pythonClass, [e.Message], new Dictionary<object, object?>());
    }

    private static Dictionary<object, object?> ExceptionDict(string pythonClass, List<object?> args, Dictionary<object, object?> attributes) => new()
    {
        ["__class__"] = pythonClass,
        ["__exception__"] = true,
        ["args"] = args,
        ["attributes"] = attributes,
    };

    private void LogError(HttpContext context, FormParameters parameters, string error)
    {
        var log = Options.ErrorLog;
        if (log is null) return;
        lock (log)
        {
            log.WriteLine($"ERROR handling {(context.Request.Path.Value ?? "").TrimStart('/')[5..]} with params {parameters}:");
            log.WriteLine(error);
            log.Flush();
        }
    }

    /// <summary>
    /// Python's <c>cgi.parse</c>: the query string for GET; for POST the url-encoded body followed by the query string,
    /// or the multipart fields only. Null when the request has been answered (body too large or malformed).
    /// </summary>
    private async Task<FormParameters?> ReadParametersAsync(HttpContext context)
    {
        var request = context.Request;
        var encoding = Options.ParameterEncoding;
        var parameters = new FormParameters();
        string query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        if (HttpMethods.IsPost(request.Method) && MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType))
        {
            bool urlEncoded = contentType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
            bool multipart = contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);
            if (urlEncoded || multipart)
            {
                var body = await ReadBodyAsync(context).ConfigureAwait(false);
                if (body is null)
                {
                    await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, JsonContentType,
                        PythonJson.Dumps(ExceptionDict("builtins.ValueError", ["Maximum content length exceeded"], []))).ConfigureAwait(false);
                    return null;
                }
                if (urlEncoded)
                {
                    parameters.AddQuery(body, encoding);
                }
                else
                {
                    try
                    {
                        await ReadMultipartAsync(parameters, body, HeaderUtilities.RemoveQuotes(contentType.Boundary).Value, context.RequestAborted).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or FormatException)
                    {
                        await WriteAsync(context, StatusCodes.Status400BadRequest, JsonContentType,
                            PythonJson.Dumps(ExceptionDict("builtins.ValueError", ["invalid multipart/form-data body: " + e.Message], []))).ConfigureAwait(false);
                        return null;
                    }
                    return parameters;
                }
            }
        }
        parameters.AddQuery(query, encoding);
        return parameters;
    }

    /// <summary>The whole body, or null when it is larger than <see cref="PyroGatewayOptions.MaxRequestBodySize"/>.</summary>
    private async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        long max = Options.MaxRequestBodySize;
        if (context.Request.ContentLength > max) return null;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            int n = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false);
            if (n == 0) break;
            if (buffer.Length + n > max) return null;
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    internal static async Task ReadMultipartAsync(FormParameters parameters, byte[] body, string? boundary, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(boundary)) throw new InvalidDataException("missing boundary");
        var reader = new MultipartReader(boundary, new MemoryStream(body));
        while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)) continue;
            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
            if (string.IsNullOrEmpty(name)) continue;
            using var content = new MemoryStream();
            await section.Body.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
            if (content.Length == 0) continue;   // blank values are dropped, as with url-encoded fields
            parameters.Add(name, Encoding.UTF8.GetString(content.GetBuffer(), 0, (int)content.Length));
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, string contentType, ReadOnlyMemory<byte> body, Guid? correlation = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        if (correlation is { } id) response.Headers[CorrelationIdHeader] = PythonUuid.Format(id);
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method) && body.Length > 0)
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Python's <c>re.match(r"(.+)/(.+)", path)</c>: greedy, so the last <c>/</c> separates the method.</summary>
    [GeneratedRegex(@"\A(.+)/(.+)", RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();

    /// <summary>Compiles a Python-style pattern for prefix matching (<c>re.match</c>).</summary>
    internal static Regex CompileExposePattern(string pattern)
    {
        string translated = PythonNamedGroup().Replace(pattern, "(?<");
        translated = PythonBackReference().Replace(translated, @"\k<$1>");
        return new Regex(@"\A(?:" + translated + ")", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    [GeneratedRegex(@"\(\?P<")]
    private static partial Regex PythonNamedGroup();

    [GeneratedRegex(@"\(\?P=(\w+)\)")]
    private static partial Regex PythonBackReference();

    /// <summary>Closes the name server connection.</summary>
    public void Dispose() => _nameServer.Dispose();
}

using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace TypedPyro.Gateway.Tests.Support;

/// <summary>A Python name server with Python objects registered in it (<c>Support/gateway_objects.py</c>).</summary>
public sealed class PythonNameServer : IAsyncDisposable
{
    private PythonProcess? _nameServer;
    private PythonProcess? _objects;

    public int Port { get; private set; }

    public IDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["PYRO_NS_HOST"] = "127.0.0.1",
        ["PYRO_NS_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Starts a name server (on <paramref name="port"/>, or a free one) and registers <paramref name="names"/>.</summary>
    public static async Task<PythonNameServer> StartAsync(int? port = null, params string[] names)
    {
        var ns = new PythonNameServer { Port = port ?? PythonProcess.FreePort() };
        try
        {
            ns._nameServer = PythonProcess.Start(null, "-m", "Pyro4.naming", "-n", "127.0.0.1", "-p", ns.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await ns._nameServer.WaitForAsync("^NS running");
            await ns.RegisterObjectsAsync(names);
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }
        return ns;
    }

    /// <summary>Starts a Python daemon serving <paramref name="names"/> and registers them (names ending in <c>.test</c> get the test object, others the echo server).</summary>
    public async Task RegisterObjectsAsync(params string[] names)
    {
        if (_objects is not null) await _objects.DisposeAsync();
        var script = Path.Combine(AppContext.BaseDirectory, "Support", "gateway_objects.py");
        _objects = PythonProcess.Start(Environment, [script, "127.0.0.1", .. (names.Length > 0 ? names : ["http.echo", "secret.echo", "http.test"])]);
        await _objects.WaitForAsync("^ready");
    }

    /// <summary>Stops the name server process (the objects stay).</summary>
    public async Task StopNameServerAsync()
    {
        if (_nameServer is not null) await _nameServer.DisposeAsync();
        _nameServer = null;
    }

    /// <summary>Stops the objects' daemon (their names stay registered).</summary>
    public async Task StopObjectsAsync()
    {
        if (_objects is not null) await _objects.DisposeAsync();
        _objects = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopObjectsAsync();
        await StopNameServerAsync();
    }
}

/// <summary>
/// Shared by the gateway tests: one Python name server with <c>http.echo</c>, <c>secret.echo</c> (Python's echo
/// server) and <c>http.test</c>; .NET and Python gateways in front of it, started on first use.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string GatewayKey = "gwkey";

    private readonly ConcurrentDictionary<string, Lazy<Task<Uri>>> _gateways = new();
    private readonly ConcurrentBag<IAsyncDisposable> _owned = [];

    public PythonNameServer NameServer { get; private set; } = null!;

    public HttpClient Http { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync() => NameServer = await PythonNameServer.StartAsync();

    /// <summary>Options for a .NET gateway in front of the shared name server.</summary>
    public PyroGatewayOptions Options(string? expose = PyroGatewayOptions.DefaultExposePattern, string? key = null) => new()
    {
        ExposePattern = expose,
        GatewayKey = key,
        NameServerHost = "127.0.0.1",
        NameServerPort = NameServer.Port,
        Timeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>A .NET gateway (base address), started once per distinct setting.</summary>
    public Task<Uri> DotNetAsync(string? expose = PyroGatewayOptions.DefaultExposePattern, string? key = null, bool latin1 = false)
        => _gateways.GetOrAdd($"net|{expose}|{key}|{latin1}", _ => new Lazy<Task<Uri>>(async () =>
        {
            var server = await StartServerAsync(Options(expose, key) with { ParameterEncoding = latin1 ? Encoding.Latin1 : Encoding.UTF8 });
            return server.BaseAddress!;
        })).Value;

    /// <summary>Starts a .NET gateway server on a free port; disposed with the fixture.</summary>
    public async Task<PyroGatewayServer> StartServerAsync(PyroGatewayOptions options)
    {
        var server = new PyroGatewayServer(new PyroGatewayServerOptions { Host = "127.0.0.1", Port = 0, Gateway = options });
        _owned.Add(server);
        await server.StartAsync();
        return server;
    }

    /// <summary>Python's <c>pyro4-httpgateway</c> (base address), started once per distinct setting.</summary>
    public Task<Uri> PythonAsync(string expose = PyroGatewayOptions.DefaultExposePattern, string? key = null)
        => _gateways.GetOrAdd($"py|{expose}|{key}", _ => new Lazy<Task<Uri>>(async () =>
        {
            var environment = NameServer.Environment;
            if (key is not null) environment["PYRO_HTTPGATEWAY_KEY"] = key;
            int port = PythonProcess.FreePort();
            var process = PythonProcess.Start(environment, "-m", "Pyro4.utils.httpgateway", "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-e", expose);
            _owned.Add(process);
            var url = await process.WaitForAsync(@"^Pyro HTTP gateway running on (\S+)");
            return new Uri(new Uri(url), "/");
        })).Value;

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned) await owned.DisposeAsync();
        await NameServer.DisposeAsync();
        Http.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}

/// <summary>One HTTP exchange, as the vectors record it.</summary>
public sealed record HttpExchange(int Status, string? Reason, List<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public string BodyText => Encoding.UTF8.GetString(Body);

    public static async Task<HttpExchange> SendAsync(HttpClient http, Uri baseAddress, string method, string path,
        IReadOnlyDictionary<string, string>? headers = null, byte[]? body = null, string? contentType = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(baseAddress.GetLeftPart(UriPartial.Authority) + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        foreach (var (k, v) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(k, v);
        using var response = await http.SendAsync(request);
        var all = response.Headers.Concat(response.Content.Headers)
            .Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value))).ToList();
        return new HttpExchange((int)response.StatusCode, response.ReasonPhrase, all, await response.Content.ReadAsByteArrayAsync());
    }
}

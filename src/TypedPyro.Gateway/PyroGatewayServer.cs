using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TypedPyro.Gateway;

/// <summary>Where and how a <see cref="PyroGatewayServer"/> listens.</summary>
public sealed record PyroGatewayServerOptions
{
    /// <summary>Host name or IP address to bind to (Python's <c>-H</c>, default <c>localhost</c>); a name binds to its first address.</summary>
    public string Host { get; init; } = "localhost";

    /// <summary>TCP port (Python's <c>-p</c>, default 8080); 0 = any free port (see <see cref="PyroGatewayServer.EndPoint"/>).</summary>
    public int Port { get; init; } = 8080;

    /// <summary>The gateway's settings.</summary>
    public PyroGatewayOptions Gateway { get; init; } = new();

    /// <summary>
    /// The server certificate, with its private key, to serve HTTPS with (what Kestrel's <c>ListenOptions.UseHttps</c>
    /// takes); null serves plain HTTP, as Python's gateway always does. TLS 1.2 and 1.3, as Kestrel negotiates them.
    /// </summary>
    /// <remarks>Only the browser side: the gateway's own Pyro calls follow <see cref="PyroGatewayOptions.Config"/> (PYRO_SSL).</remarks>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>
    /// Where one line per request is written, in the format of Python's <c>wsgiref</c> server
    /// (<c>127.0.0.1 - - [26/Nov/2026 06:22:58] "GET /pyro/ HTTP/1.1" 200 4899</c>); null = nowhere.
    /// </summary>
    public TextWriter? RequestLog { get; init; }
}

/// <summary>
/// A stand-alone gateway web server (Kestrel), what <c>pyro4-httpgateway</c> runs: every path is the gateway's, with
/// Python's 302, 404 and 405 answers outside <c>/pyro/</c>.
/// </summary>
public sealed class PyroGatewayServer : IAsyncDisposable
{
    private readonly PyroGatewayServerOptions _options;
    private WebApplication? _app;

    /// <summary>Creates the server; nothing listens until <see cref="StartAsync"/>.</summary>
    /// <exception cref="ArgumentException">The certificate has no private key, or the expose pattern is not a valid regular expression.</exception>
    public PyroGatewayServer(PyroGatewayServerOptions? options = null)
    {
        _options = options ?? new PyroGatewayServerOptions();
        if (_options.Certificate is { HasPrivateKey: false })
            throw new ArgumentException("the gateway's HTTPS certificate has no private key", nameof(options));
        Gateway = new PyroGateway(_options.Gateway);
    }

    /// <summary>The gateway application served.</summary>
    public PyroGateway Gateway { get; }

    /// <summary>The address the server listens on (the real port when 0 was asked for); null before start.</summary>
    public IPEndPoint? EndPoint { get; private set; }

    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:8080/</c> (<c>https</c> with a certificate); null before start.</summary>
    public Uri? BaseAddress => EndPoint is null ? null : new Uri($"{(_options.Certificate is null ? "http" : "https")}://{FormatHost(EndPoint.Address)}:{EndPoint.Port}/");

    /// <summary>The gateway's page, e.g. <c>http://127.0.0.1:8080/pyro/</c> (what Python prints at start); null before start.</summary>
    public Uri? PageAddress => BaseAddress is null ? null : new Uri(BaseAddress, "pyro/");

    /// <summary>Binds and starts serving.</summary>
    /// <exception cref="IOException">The address is in use.</exception>
    /// <exception cref="SocketException">The host name cannot be resolved.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null) throw new InvalidOperationException("the server is already started");
        var address = await ResolveAsync(_options.Host, cancellationToken).ConfigureAwait(false);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(PyroGatewayServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        // Started and stopped by its owner: no console lifetime taking over SIGINT/SIGTERM.
        builder.Services.AddSingleton<IHostLifetime, OwnerControlledLifetime>();
        var certificate = _options.Certificate;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, _options.Port, listen =>
        {
            if (certificate is not null) listen.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificate = certificate });
        }));
        var app = builder.Build();
        if (_options.RequestLog is { } log) app.Use((context, next) => LogRequestAsync(context, next, log));
        app.Run(Gateway.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        int port = bound is not null && Uri.TryCreate(bound, UriKind.Absolute, out var uri) ? uri.Port : _options.Port;
        EndPoint = new IPEndPoint(address, port);
    }

    /// <summary>Stops serving; requests under way may finish.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        var app = Interlocked.Exchange(ref _app, null);
        if (app is null) return;
        await app.StopAsync(cancellationToken).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the server and closes the gateway's name server connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        Gateway.Dispose();
    }

    private static async Task LogRequestAsync(HttpContext context, RequestDelegate next, TextWriter log)
    {
        await next(context).ConfigureAwait(false);
        var request = context.Request;
        string line = string.Create(CultureInfo.InvariantCulture,
            $"{context.Connection.RemoteIpAddress} - - [{DateTime.Now:dd/MMM/yyyy HH:mm:ss}] \"{request.Method} {request.PathBase}{request.Path}{request.QueryString} {request.Protocol}\" {context.Response.StatusCode} {(context.Response.ContentLength?.ToString(CultureInfo.InvariantCulture) ?? "-")}");
        lock (log)
        {
            log.WriteLine(line);
            log.Flush();
        }
    }

    private static async Task<IPAddress> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(host)) return IPAddress.Any;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip)) return ip;
        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new SocketException((int)SocketError.HostNotFound);
    }

    private sealed class OwnerControlledLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static string FormatHost(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
}

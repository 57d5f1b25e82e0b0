using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TypedPyro.Gateway;

namespace TypedPyro.Cli.Commands;

/// <summary>
/// <c>typedpyro gateway</c>: the .NET twin of <c>pyro4-httpgateway</c> (<c>python3 -m Pyro4.utils.httpgateway</c>), with
/// its options. Keys come from <c>PYRO_HTTPGATEWAY_KEY</c> and <c>PYRO_HMAC_KEY</c> only; the name server is located
/// as in Python (<c>PYRO_NS_HOST</c>, <c>PYRO_NS_PORT</c>, broadcast) unless <c>--nshost</c> is given.
/// </summary>
internal static class GatewayCommand
{
    /// <summary>Exit code for bad command-line input.</summary>
    public const int UsageError = 2;
    /// <summary>Exit code when the server cannot start (address in use, unknown host).</summary>
    public const int StartError = 3;

    /// <summary>What the command line asks for.</summary>
    public sealed record Settings
    {
        public string Host { get; init; } = "localhost";
        public int Port { get; init; } = 8080;
        public string Expose { get; init; } = PyroGatewayOptions.DefaultExposePattern;
        public double? Timeout { get; init; }
        public string? NsHost { get; init; }
        public int? NsPort { get; init; }
        public long MaxBodySize { get; init; } = PyroGatewayOptions.DefaultMaxRequestBodySize;
        public string ParameterEncoding { get; init; } = "utf-8";
        public bool KeyOnCommandLine { get; init; }
        /// <summary>PEM certificate (chain) file: serve HTTPS.</summary>
        public string? CertFile { get; init; }
        /// <summary>PEM private key file, when the key is not in <see cref="CertFile"/>.</summary>
        public string? KeyFile { get; init; }
    }

    /// <summary>Environment variable with the password of an encrypted <c>--keyfile</c> (never on the command line).</summary>
    public const string KeyPasswordVariable = "PYRO_HTTPGATEWAY_KEYPASSWD";

    public static Command Create()
    {
        var host = new Option<string>("--host", "-H") { Description = "hostname to bind server on", DefaultValueFactory = _ => "localhost" };
        var port = new Option<int>("--port", "-p") { Description = "port to bind server on (0 = any free port)", DefaultValueFactory = _ => 8080 };
        var expose = new Option<string>("--expose", "-e") { Description = "a regex of object names to expose (empty = all)", DefaultValueFactory = _ => PyroGatewayOptions.DefaultExposePattern };
        var timeout = new Option<double?>("--timeout", "-t") { Description = "Pyro timeout value to use (COMMTIMEOUT setting, default=PYRO_COMMTIMEOUT or 0.0 = none)" };
        var pyroKey = new Option<string?>("--pyrokey", "-k") { Description = "not accepted: set PYRO_HMAC_KEY instead", Hidden = true };
        var gatewayKey = new Option<string?>("--gatewaykey", "-g") { Description = "not accepted: set PYRO_HTTPGATEWAY_KEY instead", Hidden = true };
        var nsHost = new Option<string?>("--nshost", "-n") { Description = "name server host (default: locate it like Python: PYRO_NS_HOST, broadcast)" };
        var nsPort = new Option<int?>("--nsport") { Description = "name server port with --nshost (default=PYRO_NS_PORT or 9090)" };
        var maxBody = new Option<long>("--max-body") { Description = "largest POST form body in bytes; larger ones get 413", DefaultValueFactory = _ => PyroGatewayOptions.DefaultMaxRequestBodySize };
        var encoding = new Option<string>("--parameter-encoding") { Description = "how %-escapes in parameters are decoded (latin-1: exactly as Python 4.82)", DefaultValueFactory = _ => "utf-8" };
        encoding.AcceptOnlyFromAmong("utf-8", "latin-1");
        var certFile = new Option<string?>("--certfile") { Description = "serve HTTPS with this PEM certificate (chain) file" };
        var keyFile = new Option<string?>("--keyfile") { Description = $"PEM private key of --certfile, if not in that file (password: {KeyPasswordVariable})" };
        var command = new Command("gateway", "Run the Pyro HTTP gateway (http+json to Pyro objects), like pyro4-httpgateway. Keys come from PYRO_HTTPGATEWAY_KEY and PYRO_HMAC_KEY.")
        {
            host, port, expose, timeout, pyroKey, gatewayKey, nsHost, nsPort, maxBody, encoding, certFile, keyFile,
        };
        command.SetAction((result, cancellationToken) => RunAsync(new Settings
        {
            Host = result.GetValue(host)!,
            Port = result.GetValue(port),
            Expose = result.GetValue(expose) ?? "",
            Timeout = result.GetValue(timeout),
            NsHost = result.GetValue(nsHost),
            NsPort = result.GetValue(nsPort),
            MaxBodySize = result.GetValue(maxBody),
            ParameterEncoding = result.GetValue(encoding)!,
            KeyOnCommandLine = result.GetValue(pyroKey) is not null || result.GetValue(gatewayKey) is not null,
            CertFile = result.GetValue(certFile),
            KeyFile = result.GetValue(keyFile),
        }, Console.Out, Console.Error, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(Settings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (settings.KeyOnCommandLine)
        {
            error.WriteLine("error: keys are not accepted on the command line, where other users can read them; set PYRO_HMAC_KEY and/or PYRO_HTTPGATEWAY_KEY instead");
            return UsageError;
        }
        if (settings.Port is < 0 or > 65535 || settings.MaxBodySize < 0 || settings.Timeout < 0)
        {
            error.WriteLine("error: invalid --port, --timeout or --max-body");
            return UsageError;
        }
        var gatewayKey = Environment.GetEnvironmentVariable("PYRO_HTTPGATEWAY_KEY");
        PyroGatewayOptions options;
        try
        {
            options = new PyroGatewayOptions
            {
                ExposePattern = settings.Expose,
                GatewayKey = string.IsNullOrEmpty(gatewayKey) ? null : gatewayKey,
                HmacKey = Secrets.HmacKeyFromEnvironment(),
                Timeout = settings.Timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                NameServerHost = settings.NsHost,
                NameServerPort = settings.NsPort,
                MaxRequestBodySize = settings.MaxBodySize,
                ParameterEncoding = settings.ParameterEncoding == "latin-1" ? Encoding.Latin1 : Encoding.UTF8,
                ErrorLog = error,
            };
        }
        catch (FormatException e)
        {
            error.WriteLine($"error: {e.Message}");
            return UsageError;
        }

        X509Certificate2? certificate = null;
        if (settings.CertFile is not null)
        {
            if (!TryLoadCertificate(settings.CertFile, settings.KeyFile, error, out certificate)) return UsageError;
        }
        else if (settings.KeyFile is not null)
        {
            error.WriteLine("error: --keyfile needs --certfile");
            return UsageError;
        }

        PyroGatewayServer server;
        try
        {
            server = new PyroGatewayServer(new PyroGatewayServerOptions { Host = settings.Host, Port = settings.Port, Gateway = options, RequestLog = error, Certificate = certificate });
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"error: invalid expose regex: {e.Message}");
            return UsageError;
        }
        await using (server.ConfigureAwait(false))
        {
            if (!string.IsNullOrEmpty(settings.Expose)) output.WriteLine("Exposing objects with names matching:  " + settings.Expose);
            else output.WriteLine("Warning: exposing all objects (no expose regex set)");
            output.Flush();
            try
            {
                var ns = await server.Gateway.ConnectNameServerAsync(cancellationToken).ConfigureAwait(false);
                output.WriteLine("Connected to name server at:  " + ns);
            }
            catch (PyroException)
            {
                output.WriteLine("Not yet connected to a name server.");
            }
            try
            {
                await server.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
            {
                error.WriteLine($"error: cannot listen on {settings.Host}:{settings.Port.ToString(CultureInfo.InvariantCulture)}: {e.Message}");
                return StartError;
            }
            output.WriteLine($"Pyro HTTP gateway running on {server.PageAddress}");
            output.Flush();
            try
            {
                await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        return 0;
    }

    /// <summary>Reads the HTTPS certificate and key as Kestrel's <c>Certificates:Default:Path/KeyPath/Password</c> would, with one clear line on failure.</summary>
    private static bool TryLoadCertificate(string certFile, string? keyFile, TextWriter error, out X509Certificate2? certificate)
    {
        certificate = null;
        foreach (var file in keyFile is null ? [certFile] : new[] { certFile, keyFile })
        {
            if (File.Exists(file)) continue;
            error.WriteLine($"error: no such file: {file}");
            return false;
        }
        var password = Environment.GetEnvironmentVariable(KeyPasswordVariable);
        try
        {
            certificate = string.IsNullOrEmpty(password)
                ? X509Certificate2.CreateFromPemFile(certFile, keyFile)
                : X509Certificate2.CreateFromEncryptedPemFile(certFile, password, keyFile);
            return true;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException) // ArgumentException: the key is not the certificate's
        {
            error.WriteLine($"error: cannot load the HTTPS certificate and key from {certFile}{(keyFile is null ? "" : " and " + keyFile)}: {e.Message}");
            return false;
        }
    }
}

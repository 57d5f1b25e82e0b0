using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using TypedPyro.Cli.Commands;
using TypedPyro.Interop.Tests.Naming;
using TypedPyro.Interop.Tests.Support;
using TypedPyro.Tests.Support;

namespace TypedPyro.Interop.Tests;

/// <summary>
/// <c>typedpyro check</c> against real servers (Python Pyro4's echo server, our daemon, Python's http.server, Python's
/// name server) and against scripted sockets that answer with recorded bytes (Pyro5, Pyro3) or never answer.
/// </summary>
public sealed class CheckCommandTests(PythonEchoServerFixture python) : IClassFixture<PythonEchoServerFixture>
{
    private static async Task<(int Code, string Stdout, string Stderr)> Check(string? target, PyroConfig? config = null, byte[]? hmacKey = null, bool json = false, double timeout = 3)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CheckCommand.RunAsync(target, json, timeout, config ?? new PyroConfig(), hmacKey, stdout, stderr, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60));
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string Line(string output, string name)
        => output.Split('\n').Select(l => l.TrimEnd('\r')).SingleOrDefault(l => l.Length > 8 && l[8..].StartsWith(name + ":", StringComparison.Ordinal))
           ?? throw new Xunit.Sdk.XunitException($"no '{name}' line in:\n{output}");

    [Fact]
    public async Task Python_pyro4_echo_server_speaks_protocol_48_and_shows_its_metadata()
    {
        var (code, stdout, _) = await Check(python.Uri);
        Assert.True(code == 0, stdout);
        Assert.Equal("ok      protocol: Pyro4, protocol 48 (Pyro4 4.38 to 4.82)", Line(stdout, "protocol"));
        Assert.Equal("ok      serializers: accepts serpent, json, marshal; refuses msgpack (ours: serpent)", Line(stdout, "serializers"));
        Assert.Equal("ok      object: test.echoserver exists", Line(stdout, "object"));
        Assert.Equal("ok      metadata: methods __dunder__, echo, error, error_with_text, generator, inf, nan, oneway_echo, oneway_slow, shutdown, slow; "
            + "oneway oneway_echo, oneway_slow; attributes verbose", Line(stdout, "metadata"));
        Assert.Matches(@"^ok      ping: [0-9.]+ ms round trip \(best of 3\)$", Line(stdout, "ping"));
    }

    [Fact]
    public async Task Json_output_carries_the_protocol_number_and_metadata()
    {
        var (code, stdout, _) = await Check(python.Uri, json: true);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.True(doc.RootElement.GetProperty("ok").GetBoolean());
        var checks = doc.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal("pyro4", checks["protocol"].GetProperty("data").GetProperty("kind").GetString());
        Assert.Equal(48, checks["protocol"].GetProperty("data").GetProperty("version").GetInt32());
        Assert.Equal(["oneway_echo", "oneway_slow"], checks["metadata"].GetProperty("data").GetProperty("oneway").EnumerateArray().Select(e => e.GetString()));
        Assert.True(checks["ping"].GetProperty("data").GetProperty("ms").GetDouble() > 0);
    }

    [Fact]
    public async Task Our_daemon_answers_pyro4_and_pyro5_on_one_port_and_lists_its_objects()
    {
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register(new EchoServerObject(false, TextWriter.Null).CreateDispatcher(), "test.echoserver");
        daemon.Start();
        var (code, stdout, _) = await Check($"127.0.0.1:{uri.Port}");
        Assert.True(code == 0, stdout);
        Assert.Equal("ok      protocol: Pyro4, protocol 48 (Pyro4 4.38 to 4.82), and Pyro5 (protocol 502) on the same port", Line(stdout, "protocol"));
        Assert.Equal("ok      objects: 2 registered: Pyro.Daemon, test.echoserver", Line(stdout, "objects"));
    }

    private static string UnixSocketPath() => Path.Combine(Path.GetTempPath(), $"typedpyro-check-{Guid.NewGuid():N}.sock");

    private static void AssertAllOk(string stdout)
        => Assert.All(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.StartsWith("ok ", l, StringComparison.Ordinal));

    [Fact]
    public async Task Our_daemon_on_a_unix_socket_is_checked_by_its_daemon_uri_its_object_uri_and_a_name()
    {
        string path = UnixSocketPath();
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { UnixSocket = path });
        var uri = daemon.Register(new EchoServerObject(false, TextWriter.Null).CreateDispatcher(), "test.echoserver");
        daemon.Start();

        var (code, stdout, _) = await Check($"PYRO:Pyro.Daemon@./u:{path}");
        Assert.True(code == 0, stdout);
        AssertAllOk(stdout);
        Assert.Equal($"ok      socket: {path} exists", Line(stdout, "socket"));
        Assert.DoesNotContain("host:", stdout);
        Assert.Equal("ok      protocol: Pyro4, protocol 48 (Pyro4 4.38 to 4.82), and Pyro5 (protocol 502) on the same socket", Line(stdout, "protocol"));
        Assert.Equal("ok      tls: a Unix domain socket, no TLS (Pyro has none over Unix sockets)", Line(stdout, "tls"));
        Assert.Equal("ok      object: Pyro.Daemon exists", Line(stdout, "object"));

        (code, stdout, _) = await Check(uri.ToString());
        Assert.True(code == 0, stdout);
        AssertAllOk(stdout);
        Assert.Equal("ok      object: test.echoserver exists", Line(stdout, "object"));
        Assert.Matches(@"^ok      ping: [0-9.]+ ms round trip \(best of 3\)$", Line(stdout, "ping"));

        await using var ns = NamingPeers.StartDotNet();
        ns.NameServer.Register("test.unix", uri);
        (code, stdout, _) = await Check($"PYRONAME:test.unix@{ns.Uri.Location}");
        Assert.True(code == 0, stdout);
        Assert.Equal($"ok      name: PYRONAME:test.unix@{ns.Uri.Location} is PYRO:test.echoserver@./u:{path}", Line(stdout, "name"));
        Assert.Equal("ok      object: test.echoserver exists", Line(stdout, "object"));

        // A proxy refuses TLS over a Unix socket, so PYRO_SSL on is the error, and the handshake checks are not tried.
        (code, stdout, _) = await Check(uri.ToString(), new PyroConfig().With(c => c.Ssl = true));
        Assert.Equal(1, code);
        Assert.Equal("error   tls: PYRO_SSL is on, but Pyro has no TLS over Unix domain sockets -- fix: unset PYRO_SSL to talk to this server", Line(stdout, "tls"));
        Assert.DoesNotContain("serializers:", stdout);
    }

    [Fact]
    public async Task A_python_pyro4_daemon_on_a_unix_socket_is_checked_end_to_end()
    {
        string path = UnixSocketPath();
        const string script = """
            import sys, Pyro4
            from Pyro4.test.echoserver import EchoServer
            daemon = Pyro4.Daemon(unixsocket=sys.argv[1])
            print("uri:", daemon.register(EchoServer(), "test.echoserver"))
            daemon.requestLoop()
            """;
        try
        {
            await using var python = PythonPeer.Start("-c", script, path);
            var uri = await python.WaitForAsync(@"^uri: (\S+)");
            Assert.Equal($"PYRO:test.echoserver@./u:{path}", uri);
            var (code, stdout, _) = await Check(uri);
            Assert.True(code == 0, stdout);
            AssertAllOk(stdout);
            Assert.Equal($"ok      socket: {path} exists", Line(stdout, "socket"));
            Assert.Equal("ok      protocol: Pyro4, protocol 48 (Pyro4 4.38 to 4.82)", Line(stdout, "protocol"));
            Assert.Equal("ok      serializers: accepts serpent, json, marshal; refuses msgpack (ours: serpent)", Line(stdout, "serializers"));
            Assert.Equal("ok      object: test.echoserver exists", Line(stdout, "object"));
            Assert.StartsWith("ok      metadata: methods __dunder__, echo, error,", Line(stdout, "metadata"));
        }
        finally
        {
            // Python leaves the socket file behind when its process is killed.
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_unix_socket_that_does_not_exist_or_that_nothing_listens_on_is_one_error_line()
    {
        string path = UnixSocketPath();
        var (code, stdout, _) = await Check($"PYRO:thing@./u:{path}");
        Assert.Equal(1, code);
        Assert.Equal($"error   socket: no Unix domain socket {path}: the file does not exist -- fix: start the daemon (it creates the socket), or correct the path", Line(stdout, "socket"));
        Assert.Single(stdout.Split('\n'), l => l.StartsWith("error", StringComparison.Ordinal));
        Assert.DoesNotContain("protocol:", stdout);

        // A socket file without a listener, like the one a killed daemon leaves behind (bound, never listening: .NET
        // deletes the file when the socket closes).
        using var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        stale.Bind(new UnixDomainSocketEndPoint(path));
        (code, stdout, _) = await Check($"PYRO:thing@./u:{path}");
        Assert.Equal(1, code);
        Assert.Equal($"ok      socket: {path} exists", Line(stdout, "socket"));
        Assert.Equal($"error   protocol: nothing listens on ./u:{path} (connection refused) -- fix: start the server (a stopped daemon may leave its socket file behind), or correct the path", Line(stdout, "protocol"));
    }

    [Fact]
    public async Task A_server_answering_like_python_pyro5_is_pyro5_502()
    {
        // Python Pyro5's recorded answers: CONNECTFAIL "invalid protocol version: 48" to a Pyro4 CONNECT, its CONNECTOK
        // (with the echo server's metadata) to a Pyro5 serpent CONNECT; PING is answered "pong" as Pyro5 does.
        var refusal = Pyro5Vector.Load("probe_pyro4_connect").Messages[0].Bytes;
        var welcome = Pyro5Vector.Load("cap_echo_serpent").Messages.First(m => m.Direction == "s2c").Bytes;
        await using var server = new ScriptedTcpServer(message => BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(4)) switch
        {
            48 => refusal,
            502 when message[6] == 1 && message[7] == 1 => welcome,
            502 when message[6] == 6 => Pyro5Pong(message),
            _ => null,
        });
        var (_, stdout, _) = await Check($"PYRO:test.echoserver@127.0.0.1:{server.Port}");
        Assert.Equal("ok      protocol: Pyro5, protocol 502", Line(stdout, "protocol"));
        Assert.Equal("ok      hmac: Pyro5 has no HMAC signing", Line(stdout, "hmac"));
        Assert.StartsWith("ok      serializers: accepts serpent; no handshake with json, marshal, msgpack (", Line(stdout, "serializers"));
        Assert.Equal("ok      metadata: methods __dunder__, echo, error, error_with_text, generator, inf, nan, oneway_echo, oneway_slow, shutdown, slow; "
            + "oneway oneway_echo, oneway_slow; attributes verbose", Line(stdout, "metadata"));
    }

    private static byte[] Pyro5Pong(byte[] ping)
    {
        var reply = new byte[44];
        ping.AsSpan(0, 40).CopyTo(reply);
        reply[7] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(12), 4);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(16), 0);
        "pong"u8.CopyTo(reply.AsSpan(40));
        return reply;
    }

    [Fact]
    public async Task A_server_that_greets_with_a_pyro3_challenge_is_named_pyro3()
    {
        // Pyro3 speaks first: header !4sHHlHl ("PYRO", version 5, header size 18, body size, flags, crc), then a
        // 16-byte authentication challenge.
        var greeting = new byte[18 + 16];
        "PYRO"u8.CopyTo(greeting);
        BinaryPrimitives.WriteUInt16BigEndian(greeting.AsSpan(4), 5);
        BinaryPrimitives.WriteUInt16BigEndian(greeting.AsSpan(6), 18);
        BinaryPrimitives.WriteInt32BigEndian(greeting.AsSpan(8), 16);
        await using var server = new ScriptedTcpServer(_ => null, greeting);
        var (code, stdout, _) = await Check($"127.0.0.1:{server.Port}");
        Assert.Equal(1, code);
        Assert.Equal("error   protocol: Pyro3, protocol 5: Pyro3 cannot talk to Pyro4 or Pyro5 clients -- fix: port the server to Pyro4 or Pyro5", Line(stdout, "protocol"));
        Assert.DoesNotContain("serializers:", stdout);
    }

    [Fact]
    public async Task Pythons_http_server_is_not_a_pyro_server()
    {
        int port = NamingPeers.FreeTcpPort();
        await using var http = PythonPeer.Start("-m", "http.server", "--bind", "127.0.0.1", port.ToString());
        await http.WaitForAsync("^Serving HTTP");
        var (code, stdout, _) = await Check($"127.0.0.1:{port}");
        Assert.Equal(1, code);
        Assert.StartsWith("error   protocol: not a Pyro server: an HTTP server", Line(stdout, "protocol"));
    }

    [Fact]
    public async Task A_closed_port_is_one_error_line()
    {
        int port = NamingPeers.FreeTcpPort();
        var (code, stdout, _) = await Check($"PYRO:thing@127.0.0.1:{port}");
        Assert.Equal(1, code);
        Assert.Equal($"error   protocol: nothing listens on 127.0.0.1:{port} (connection refused) -- fix: start the server, or correct the host and port", Line(stdout, "protocol"));
        Assert.Single(stdout.Split('\n'), l => l.StartsWith("error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_that_accepts_and_never_answers_times_out()
    {
        await using var server = ScriptedTcpServer.Silent();
        var watch = Stopwatch.StartNew();
        var (code, stdout, _) = await Check($"127.0.0.1:{server.Port}", timeout: 1);
        Assert.Equal(1, code);
        Assert.StartsWith($"error   protocol: 127.0.0.1:{server.Port} accepts connections but never answered a Pyro CONNECT (waited 1 s)", Line(stdout, "protocol"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task An_unresolvable_host_is_one_error_line()
    {
        var (code, stdout, _) = await Check("no-such-host.invalid:9999");
        Assert.Equal(1, code);
        Assert.StartsWith("error   host: no-such-host.invalid does not resolve", Line(stdout, "host"));
        Assert.DoesNotContain("protocol:", stdout);
    }

    [Theory]
    [InlineData("PYRO:nohost")]
    [InlineData("localhost")]
    [InlineData("localhost:99999")]
    public async Task An_unparsable_target_is_a_usage_error(string target)
    {
        var (code, stdout, stderr) = await Check(target);
        Assert.Equal(CheckCommand.UsageError, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: ", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task An_hmac_key_the_server_demands_is_reported_with_its_fix()
    {
        await using var server = PythonPeer.StartWithEnvironment(new Dictionary<string, string> { ["PYRO_HMAC_KEY"] = "check-test-key" },
            "-m", "Pyro4.test.echoserver", "-H", "127.0.0.1");
        var uri = await server.WaitForAsync(@"^echo uri: (\S+)");
        var (code, stdout, _) = await Check(uri);
        Assert.Equal(1, code);
        Assert.StartsWith("error   hmac: the server demands an HMAC key", Line(stdout, "hmac"));
        Assert.EndsWith("-- fix: set PYRO_HMAC_KEY to the server's key", Line(stdout, "hmac"));
        (code, stdout, _) = await Check(uri, hmacKey: "another-key"u8.ToArray());
        Assert.Equal(1, code);
        Assert.StartsWith("error   hmac: the server refuses our HMAC key", Line(stdout, "hmac"));
        (code, stdout, _) = await Check(uri, hmacKey: "check-test-key"u8.ToArray());
        Assert.True(code == 0, stdout);
        Assert.Equal("ok      hmac: the server accepts our HMAC key (PYRO_HMAC_KEY)", Line(stdout, "hmac"));
    }

    [Fact]
    public async Task Local_setup_finds_pythons_name_server_by_broadcast_and_counts_its_objects()
    {
        var config = NamingPeers.LoopbackConfig();
        var (ns, nsUri) = await NamingPeers.StartPythonAsync("-n", "0.0.0.0", "-p", "0", "--bcport", config.NsBcPort.ToString());
        await using var _ = ns;
        await ns.WaitForAsync("^Broadcast server running on (.*)");
        var (code, stdout, _) = await Check(null, config);
        Assert.True(code == 0, stdout);
        Assert.Equal($"ok      broadcast: a name server answered on UDP port {config.NsBcPort}: PYRO:Pyro.NameServer@127.0.0.1:{nsUri.Port}", Line(stdout, "broadcast"));
        Assert.Equal($"ok      nameserver: PYRO:Pyro.NameServer@127.0.0.1:{nsUri.Port} answers: 1 object registered", Line(stdout, "nameserver"));
    }

    [Fact]
    public async Task Local_setup_without_a_name_server_warns_and_still_exits_zero()
    {
        var config = NamingPeers.LoopbackConfig().With(c => c.NatPort = 5555);
        var (code, stdout, _) = await Check(null, config, timeout: 1);
        Assert.Equal(0, code);
        Assert.StartsWith("warning broadcast: no name server answered", Line(stdout, "broadcast"));
        Assert.StartsWith("warning nameserver: no name server at 127.0.0.1:", Line(stdout, "nameserver"));
        Assert.Equal("warning nat: PYRO_NATPORT=5555 without PYRO_NATHOST: daemons ignore it -- fix: set PYRO_NATHOST to the address clients connect to, or unset PYRO_NATPORT", Line(stdout, "nat"));
    }

    [Theory]
    [InlineData("5059524f0030", "Pyro4, protocol 48 (Pyro4 4.38 to 4.82)")]
    [InlineData("5059524f002f", "Pyro4, protocol 47 (Pyro4 4.26 to 4.37): older than ours (48), upgrade it")]
    [InlineData("5059524f002e", "Pyro4, protocol 46 (Pyro4 4.22 to 4.25): older than ours (48), upgrade it")]
    [InlineData("5059524f01f6", "Pyro5, protocol 502")]
    [InlineData("5059524f0004", "Pyro3, protocol 4: Pyro3 cannot talk to Pyro4 or Pyro5 clients")]
    [InlineData("485454502f312e3120343030204261642052657175657374", "not a Pyro server: an HTTP server (HTTP/1.1 400 Bad Request)")]
    [InlineData("5353482d322e300d0a", "not a Pyro server: it answered \"SSH-2.0\\r\\n\"")]
    [InlineData("150301000202", "a TLS server")]
    public void First_bytes_name_the_protocol(string hex, string description)
        => Assert.Equal(description, TypedPyro.Cli.Commands.Check.WireVerdict.FromBytes(Convert.FromHexString(hex)).Description);

    [Fact]
    public async Task The_executable_prints_one_line_per_bad_input_and_no_stack_trace()
    {
        var (code, stdout, stderr) = await RunCliAsync("check", "PYRO:");
        Assert.Equal(CheckCommand.UsageError, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.Trim().Split('\n'));
        int port = NamingPeers.FreeTcpPort();
        (code, stdout, stderr) = await RunCliAsync("check", $"127.0.0.1:{port}");
        Assert.Equal(CheckCommand.CheckFailed, code);
        Assert.Equal("", stderr);
        Assert.Single(stdout.Split('\n'), l => l.StartsWith("error", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", stdout);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunCliAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "TypedPyro.Cli.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment.Remove("PYRO_HMAC_KEY");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task A_tls_server_is_found_over_tls_and_pyro_ssl_off_is_the_error()
    {
        var certs = TestCertificates.Instance;
        var tls = new Dictionary<string, string>
        {
            ["PYRO_SSL"] = "1",
            ["PYRO_SSL_SERVERCERT"] = certs.PathOf("server.pem"),
            ["PYRO_SSL_SERVERKEY"] = certs.PathOf("server.key"),
            ["PYRO_SSL_CACERTS"] = certs.PathOf("ca.pem"),
        };
        await using var server = PythonPeer.StartWithEnvironment(tls, "-m", "Pyro4.test.echoserver", "-H", "localhost");
        var uri = await server.WaitForAsync(@"^echo uri: (\S+)");

        var (code, stdout, _) = await Check(uri);
        Assert.Equal(1, code);
        Assert.Equal("ok      protocol: Pyro4, protocol 48 (Pyro4 4.38 to 4.82), over TLS", Line(stdout, "protocol"));
        Assert.StartsWith("error   tls: the server demands TLS, but PYRO_SSL is off", Line(stdout, "tls"));

        (code, stdout, _) = await Check(uri, PyroConfig.FromEnvironment(tls.ToDictionary(p => p.Key, p => (string?)p.Value)));
        Assert.True(code == 0, stdout);
        Assert.Equal("ok      tls: the server speaks TLS, and so do we (PYRO_SSL is on)", Line(stdout, "tls"));
        Assert.Equal("ok      object: test.echoserver exists", Line(stdout, "object"));
    }
}

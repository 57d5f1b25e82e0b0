using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TypedPyro.Naming.Redis.Tests.Support;

/// <summary>
/// A private <c>redis-server</c> (Debian's package, installed by test.sh) on a free loopback port with its data in a
/// temporary folder; never the machine's service. Killed and its folder deleted on Dispose, so no test leaks one.
/// </summary>
public sealed class RedisServer : IDisposable
{
    public const string Executable = "/usr/bin/redis-server";

    private readonly bool _appendOnly;
    private readonly string? _password;
    private Process? _process;

    private RedisServer(bool appendOnly, string? password)
    {
        _appendOnly = appendOnly;
        _password = password;
        Port = FreeTcpPort();
        Directory = System.IO.Directory.CreateTempSubdirectory("typedpyro-redis-").FullName;
    }

    public int Port { get; }

    public string Directory { get; }

    /// <summary>The <c>--storage</c> option naming this server.</summary>
    public string Spec => $"redis://127.0.0.1:{Port}";

    /// <summary>
    /// Starts a server. With <paramref name="appendOnly"/> every write is in the append-only file before Redis
    /// answers (<c>appendfsync always</c>), so even a killed server loses nothing.
    /// </summary>
    /// <param name="password">A password the server requires (<c>requirepass</c>); tests make a random one.</param>
    public static RedisServer Start(bool appendOnly = false, string? password = null)
    {
        var server = new RedisServer(appendOnly, password);
        try
        {
            server.Launch();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Kills the server at once (SIGKILL: no shutdown save, as when its machine is lost).</summary>
    public void Kill()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again on the same port and folder (it reloads its append-only file).</summary>
    public void Restart()
    {
        Kill();
        Launch();
    }

    public RedisNameServerStorage OpenStorage(string keyPrefix = RedisNameServerStorage.DefaultKeyPrefix) => RedisNameServerStorage.Open(Spec, keyPrefix);

    private void Launch()
    {
        if (!File.Exists(Executable)) throw new InvalidOperationException($"{Executable} not found: apt-get install -y redis-server (test.sh does)");
        var info = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", _appendOnly ? "yes" : "no", "--appendfsync", "always", "--dir", Directory, "--daemonize", "no"])
            info.ArgumentList.Add(a);
        if (_password is not null)
        {
            info.ArgumentList.Add("--requirepass");
            info.ArgumentList.Add(_password);
        }
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"redis-server exited with {process.ExitCode}");
            if (Answers()) return;
            Thread.Sleep(25);
        }
        throw new TimeoutException($"redis-server did not answer on port {Port}");
    }

    // PING over a raw socket: ready once it says +PONG (it refuses commands with -LOADING while it reads its file).
    private bool Answers()
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(IPAddress.Loopback, Port);
            socket.Send("PING\r\n"u8);
            var buffer = new byte[64];
            socket.ReceiveTimeout = 1000;
            int n = socket.Receive(buffer);
            // With a password Redis answers -NOAUTH: it is up all the same.
            return n >= 5 && (buffer.AsSpan(0, 5).SequenceEqual("+PONG"u8) || buffer.AsSpan(0, 7).SequenceEqual("-NOAUTH"u8));
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        Kill();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

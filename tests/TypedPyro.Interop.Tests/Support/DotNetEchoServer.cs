using TypedPyro.Cli.Commands;

namespace TypedPyro.Interop.Tests.Support;

/// <summary>Runs <c>typedpyro echo</c> in process (the command's own code path) on a free loopback port.</summary>
public sealed class DotNetEchoServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<int> _run;
    private readonly SynchronizedOutput _output = new();

    private DotNetEchoServer(string host)
    {
        _run = Task.Run(() => EchoCommand.RunAsync(host, 0, null, verbose: false, quiet: false, _output, _stop.Token));
    }

    public string Uri { get; private set; } = "";

    public static async Task<DotNetEchoServer> StartAsync(string host = "127.0.0.1")
    {
        var server = new DotNetEchoServer(host);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var line = server._output.Text.Split('\n').FirstOrDefault(l => l.StartsWith("echo uri: ", StringComparison.Ordinal));
            if (line is not null)
            {
                server.Uri = line["echo uri: ".Length..].Trim();
                return server;
            }
            if (server._run.IsCompleted) break;
            await Task.Delay(20);
        }
        throw new TimeoutException("typedpyro echo did not print its URI:\n" + server._output.Text + (server._run.IsFaulted ? server._run.Exception!.ToString() : ""));
    }

    public string Output => _output.Text;

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _run;
        _stop.Dispose();
    }

    private sealed class SynchronizedOutput : StringWriter
    {
        private readonly object _gate = new();
        public string Text { get { lock (_gate) return ToString(); } }
        public override void Write(char value) { lock (_gate) base.Write(value); }
        public override void Write(string? value) { lock (_gate) base.Write(value); }
        public override void WriteLine(string? value) { lock (_gate) base.WriteLine(value); }
    }
}

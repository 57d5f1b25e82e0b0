// The peer comparison harness (issue 8): the same workloads, client and server on loopback, against
//   * raw async sockets (the limit every ratio is taken against),
//   * TypedPyro on both sides (serpent, json, and the msgpack binary path),
//   * Python Pyro4 4.82 (Debian's /usr/bin/python3; servers and clients as separate processes) and across languages,
//   * gRPC for .NET over h2c (Kestrel, HTTP/2 without TLS, limits raised, warmed up),
//   * TypedPyro and Python Pyro4 over TLS (W1, W2; next to the plain TCP rows),
//   * Python Pyro5 (W1, W2, W3) from a Pyro5 checkout given with --pyro5 DIR (skipped with a note otherwise),
//   * StreamJsonRpc over TCP (MessagePack formatter, length-header framing, TCP_NODELAY),
// in one run, printed as one markdown table with calls/s, p50/p99, MB/s and each figure's ratio to raw sockets.
// Workloads: W1 latency, W2 8 clients, W3 oneway, W4 10 MiB bulk, batch of 100, name server lookups, HTTP gateway
// calls, and idle connections held by one daemon.
//   dotnet run -c Release --project benchmarks/TypedPyro.Peers                          5 s per workload
//   dotnet run -c Release --project benchmarks/TypedPyro.Peers -- --smoke               a fraction of a second each (CI)
//   ... -- --json results.json --svg docs/performance-chart.svg                         also save the run, and chart it
//   ... -- --chart results.json docs/performance-chart.svg                              chart a saved run
//   ... -- --only raw,grpc                  some peers only (raw, typedpyro, python, gateway, tls, pyro5, grpc, jsonrpc, ns, scale)
//   ... -- --only nsstorage                 name server lookups by storage: memory, SQLite, Redis; one and two name servers
//   ... -- --only pyro5 --pyro5 /opt/pyro5-live   the Pyro5 rows (DIR holds the Pyro5/ package of Pyro5's repository)
//   ... -- --repeat 3                       the whole run three times; the table gives each row's median and the range
//                                           of its ratio over the runs (the machine is shared: one run can mislead)
//   ... -- --targets                        only the rows benchmarks/targets.json needs (~3 min a run), workload by
//                                           workload (each raw row just before the rows judged against it); every run
//                                           ends with a verdict line per target and "targets: N met, M missed"
//   ... -- --targets --workloads W3,W4      only the rows of these workloads (W1, W2, W3, W4, batch, ns)
//   ... -- --bulk-receive                   raw sockets only: five ways for a server to receive 10 MiB calls into an
//                                           array of its own (docs/bulk-data.md, "Why one copy")
//   ... -- --serve                                                                      child process of the scale workload
// No gRPC or StreamJsonRpc rows for batch (neither has Pyro's batch) nor for name server, gateway and scale.
using TypedPyro.Peers;

if (args is ["--serve", ..])
{
    await Scale.ServeAsync();
    return 0;
}
if (args is ["--bulk-receive", ..])
{
    await BulkReceiveProbe.RunAsync(args.Contains("--smoke") ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(3));
    return 0;
}
if (args is ["--chart", var input, var output])
{
    Chart.Render(Report.Read(input), output);
    return 0;
}

var targets = Targets.Load();
bool targetsOnly = args.Contains("--targets");
string? workloads = Option("--workloads");
var bench = new Bench(smoke: args.Contains("--smoke"), targetsOnly ? targets : null, workloads?.Split(','));
string? jsonPath = Option("--json"), svgPath = Option("--svg"), only = Option("--only"), repeat = Option("--repeat"), pyro5 = Option("--pyro5");
int repetitions = repeat is null ? 1 : int.TryParse(repeat, out int n) && n >= 1 ? n : throw new ArgumentException("--repeat takes a count of 1 or more");
// With --targets, the peers whose rows some target names (each of them measures only the rows the targets need).
string[] targetPeers = ["raw", "typedpyro", "ns"];
bool Runs(string peer) => (only is null || only.Split(',').Contains(peer)) && (!targetsOnly || targetPeers.Contains(peer));

// A --targets run goes workload by workload (Bench.Focus), each raw row just before the rows judged against it; a full
// run goes peer by peer, since some peers start Python processes or servers once for all their workloads.
string?[] passes = targetsOnly ? [.. Workloads.Order.Where(w => targets.List.Any(t => t.Workload == w))] : [null];
for (int repetition = 1; repetition <= repetitions; repetition++)
{
    bench.StartRepetition(repetition, repetitions);
    foreach (string? workload in passes)
    {
        bench.Focus = workload;
        await RunPeersAsync(workload);
    }
}

var report = Report.From(bench);
report.Print(Console.Out);
Targets.Print(targets.Judge(report), Console.Out);
if (jsonPath is not null) report.Write(jsonPath);
if (svgPath is not null) Chart.Render(report, svgPath);
return 0;

async Task RunPeersAsync(string? workload)
{
    if (Runs("raw") && workload != Workloads.NameServer) await using (var raw = new RawSockets()) await raw.RunAsync(bench);
    if ((Runs("typedpyro") || Runs("python") || Runs("gateway")) && workload != Workloads.NameServer)
    {
        await using var pyro = new TypedPyroPeer();
        if (Runs("typedpyro")) await pyro.RunAsync(bench);
        if (Runs("python")) await PythonPeer.RunAsync(bench, pyro.EchoUri);
        if (Runs("gateway")) await Gateways.RunAsync(bench, pyro.EchoUri);
    }
    if (Runs("tls")) await using (var tls = new TlsPeer()) await tls.RunAsync(bench);
    if (Runs("pyro5")) await Pyro5Peer.RunAsync(bench, pyro5);
    if (Runs("grpc")) await using (var grpc = await GrpcPeer.StartAsync()) await grpc.RunAsync(bench);
    if (Runs("jsonrpc")) await using (var jsonRpc = new JsonRpcPeer()) await jsonRpc.RunAsync(bench);
    if (Runs("ns") && (workload is null or Workloads.NameServer)) await NameServers.RunAsync(bench);
    if (Runs("nsstorage")) await NameServerStorages.RunAsync(bench);
    if (Runs("scale")) await Scale.RunAsync(bench);
}

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

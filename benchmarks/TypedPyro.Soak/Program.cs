using System.Globalization;
using TypedPyro.Soak;

// dotnet run -c Release --project benchmarks/TypedPyro.Soak -- --soak 60 [--clients 180] [--python 20] [--warmup SECONDS] [--hold SECONDS] [--in-process]
// The daemon runs alone in a child process (this program with --serve CLIENTS RETIREMENT_SECONDS) unless --in-process.
if (args is ["--serve", var servedClients, var retirement])
{
    await ChildSoakDaemon.ServeAsync(int.Parse(servedClients, CultureInfo.InvariantCulture), TimeSpan.FromSeconds(double.Parse(retirement, CultureInfo.InvariantCulture)));
    return 0;
}
int seconds = 60, clients = 180, python = 20, warmup = -1, hold = 0;
bool inProcess = args.Contains("--in-process");
var options = args.Where(a => a != "--in-process").ToArray();
for (int i = 0; i < options.Length; i += 2)
{
    if (i + 1 >= options.Length || !int.TryParse(options[i + 1], out var value) || value < 0)
    {
        Console.Error.WriteLine($"{options[i]}: expected a number, got '{(i + 1 < options.Length ? options[i + 1] : "")}'");
        return 2;
    }
    switch (options[i])
    {
        case "--soak": seconds = value; break;
        case "--clients": clients = value; break;
        case "--python": python = value; break;
        case "--warmup": warmup = value; break;
        case "--hold": hold = value; break;
        default: Console.Error.WriteLine($"unknown option {options[i]} (use --soak SECONDS --clients N --python N --warmup SECONDS --hold SECONDS --in-process)"); return 2;
    }
}
// Waits up to 60 s at the start and at the end for idle runtime workers to retire, so that the heap compares like with like.
var result = await SoakRun.RunAsync(TimeSpan.FromSeconds(seconds), clients, python, workerRetirement: TimeSpan.FromSeconds(60),
    warmUp: warmup < 0 ? null : TimeSpan.FromSeconds(warmup), measured: hold == 0 ? null : HoldAsync, daemonApart: !inProcess);
Console.WriteLine(result);
return result.Passed ? 0 : 1;

// --hold: after each weighing, say so and wait, so that `dotnet-dump collect -p PID` can snapshot the same heap.
async Task HoldAsync(string when, int daemonProcessId)
{
    Console.WriteLine($"heap weighed ({when}), pid {daemonProcessId}: holding {hold} s");
    await Task.Delay(TimeSpan.FromSeconds(hold));
}

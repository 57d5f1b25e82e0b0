using TypedPyro.Soak;

// dotnet run -c Release --project benchmarks/TypedPyro.Soak -- --soak 60 [--clients 180] [--python 20] [--warmup SECONDS] [--hold SECONDS]
int seconds = 60, clients = 180, python = 20, warmup = -1, hold = 0;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    if (!int.TryParse(args[i + 1], out var value) || value < 0) { Console.Error.WriteLine($"{args[i]}: expected a number, got '{args[i + 1]}'"); return 2; }
    switch (args[i])
    {
        case "--soak": seconds = value; break;
        case "--clients": clients = value; break;
        case "--python": python = value; break;
        case "--warmup": warmup = value; break;
        case "--hold": hold = value; break;
        default: Console.Error.WriteLine($"unknown option {args[i]} (use --soak SECONDS --clients N --python N --warmup SECONDS --hold SECONDS)"); return 2;
    }
}
// Waits up to 60 s at the start and at the end for idle runtime workers to retire, so that the heap compares like with like.
var result = await SoakRun.RunAsync(TimeSpan.FromSeconds(seconds), clients, python, workerRetirement: TimeSpan.FromSeconds(60),
    warmUp: warmup < 0 ? null : TimeSpan.FromSeconds(warmup), measured: hold == 0 ? null : HoldAsync);
// --hold: after each weighing, say so and wait, so that `dotnet-gcdump collect -p PID` can snapshot the same heap.
async Task HoldAsync(string when)
{
    Console.WriteLine($"heap weighed ({when}), pid {Environment.ProcessId}: holding {hold} s");
    await Task.Delay(TimeSpan.FromSeconds(hold));
}
Console.WriteLine(result);
return result.Passed ? 0 : 1;

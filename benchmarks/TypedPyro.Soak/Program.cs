using TypedPyro.Soak;

// dotnet run -c Release --project benchmarks/TypedPyro.Soak -- --soak 60 [--clients 180] [--python 20]
int seconds = 60, clients = 180, python = 20;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    if (!int.TryParse(args[i + 1], out var value) || value < 0) { Console.Error.WriteLine($"{args[i]}: expected a number, got '{args[i + 1]}'"); return 2; }
    switch (args[i])
    {
        case "--soak": seconds = value; break;
        case "--clients": clients = value; break;
        case "--python": python = value; break;
        default: Console.Error.WriteLine($"unknown option {args[i]} (use --soak SECONDS --clients N --python N)"); return 2;
    }
}
var result = await SoakRun.RunAsync(TimeSpan.FromSeconds(seconds), clients, python);
Console.WriteLine(result);
return result.Passed ? 0 : 1;

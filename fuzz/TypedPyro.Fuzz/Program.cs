using SharpFuzz;

namespace TypedPyro.Fuzz;

/// <summary>
/// The AFL++ driver: <c>TypedPyro.Fuzz TARGET</c> under afl-fuzz runs inputs through one target in a persistent loop
/// (SharpFuzz's fork server); <c>TypedPyro.Fuzz TARGET FILE...</c> runs files once each, for reproducing a crash
/// with the uninstrumented build (fuzz/.out/build).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 0 || !FuzzTargets.Names.Contains(args[0]))
        {
            Console.Error.WriteLine("usage: TypedPyro.Fuzz TARGET [FILE...]; targets: " + string.Join(", ", FuzzTargets.Names));
            return 2;
        }
        string name = args[0];
        if (args.Length > 1)
        {
            // --repeat N replays the files N times in one process, as the persistent loop does: memory that grows
            // from round to round is a leak the fuzzer would meet as an out-of-memory crash.
            int repeat = args[1] == "--repeat" && args.Length > 3 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1;
            var inputs = args.Skip(repeat > 1 || args[1] == "--repeat" ? 3 : 1).Select(File.ReadAllBytes).ToList();
            var replayed = FuzzTargets.Create(name)!;
            for (int round = 0; round < repeat; round++)
            {
                foreach (var input in inputs) replayed.Run(input);
                if (round == 0 || round == repeat - 1)
                    Console.WriteLine($"round {round + 1}: managed heap {GC.GetTotalMemory(forceFullCollection: true) / 1024} KiB");
            }
            Console.WriteLine($"{inputs.Count} inputs ran {repeat} times without a crash");
            return 0;
        }
        // The target (and with it the instrumented runtime) is first touched inside the fuzzing loop.
        IFuzzTarget? target = null;
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            try
            {
                (target ??= FuzzTargets.Create(name)!).Run(copy.ToArray());
            }
            catch (Exception e) when (Log(e))
            {
                throw; // never reached: Log returns false, so the exception goes on to SharpFuzz as a crash
            }
        });
        return 0;
    }

    /// <summary>Appends a crash's exception to FUZZ_CRASH_LOG (set by run.sh): AFL keeps only the input.</summary>
    private static bool Log(Exception e)
    {
        if (Environment.GetEnvironmentVariable("FUZZ_CRASH_LOG") is { Length: > 0 } path)
            File.AppendAllText(path, $"{DateTime.UtcNow:O} {e}{Environment.NewLine}");
        return false;
    }
}

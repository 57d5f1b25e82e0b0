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
            var replayed = FuzzTargets.Create(name)!;
            foreach (var file in args.Skip(1)) replayed.Run(File.ReadAllBytes(file));
            Console.WriteLine($"{args.Length - 1} inputs ran without a crash");
            return 0;
        }
        // The target (and with it the instrumented runtime) is first touched inside the fuzzing loop.
        IFuzzTarget? target = null;
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            (target ??= FuzzTargets.Create(name)!).Run(copy.ToArray());
        });
        return 0;
    }
}

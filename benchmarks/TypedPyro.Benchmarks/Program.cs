using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// Full runs:  dotnet run -c Release --project benchmarks/TypedPyro.Benchmarks -- --filter '*'
// CI smoke:   dotnet run -c Release --project benchmarks/TypedPyro.Benchmarks -- --smoke
// (one in-process iteration of every benchmark: proves they run, measures nothing)
bool smoke = args.Contains("--smoke");
if (smoke) Environment.SetEnvironmentVariable(TypedPyro.Benchmarks.Smoke.Variable, "1"); // benchmarks with jobs of their own add none
var config = smoke
    ? ManualConfig.CreateMinimumViable()
        .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance))
        .AddDiagnoser(MemoryDiagnoser.Default)
        .WithOptions(ConfigOptions.DisableOptimizationsValidator)
    : DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
var switcher = BenchmarkSwitcher.FromAssembly(typeof(TypedPyro.Benchmarks.SerializerBenchmarks).Assembly);
var summaries = smoke ? switcher.RunAll(config, args.Where(a => a != "--smoke").ToArray()) : switcher.Run(args, config);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;

namespace TypedPyro.Hosting.Tests;

[Expose]
[PyroNaming(PyroNamingPolicy.SnakeCase)]
public interface ICounter
{
    int Next();

    string InstanceId();

    Task<string> SlowAsync(int milliseconds);
}

/// <summary>A DI-made object: a new id per instance, disposal counted, so tests can see the lifetime each mode gives.</summary>
public sealed class Counter(CounterLog log) : ICounter, IDisposable
{
    private readonly string _id = Guid.NewGuid().ToString("N");
    private int _count;

    public int Next() => Interlocked.Increment(ref _count);

    public string InstanceId() => _id;

    public async Task<string> SlowAsync(int milliseconds)
    {
        log.SlowStarted.TrySetResult();
        await Task.Delay(milliseconds);
        return "done";
    }

    public void Dispose() => Interlocked.Increment(ref log.Disposed);
}

/// <summary>Shared with the test through DI.</summary>
public sealed class CounterLog
{
    public int Disposed;

    public TaskCompletionSource SlowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

namespace TypedPyro.Tests.Client;

/// <summary>
/// Oneway methods that take no arguments, called through a generated proxy (an earlier end-to-end test of the exposure
/// manifest hung on one): the call returns at once, the daemon runs it, and the connection stays usable.
/// </summary>
public sealed class OnewayWithoutArgumentsTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("sync", false)]
    [InlineData("sync", true)]
    [InlineData("task", false)]
    [InlineData("task", true)]
    [InlineData("valuetask", false)]
    [InlineData("valuetask", true)]
    public async Task A_oneway_call_without_arguments_returns_runs_and_leaves_the_proxy_usable(string shape, bool callFirst)
    {
        var resetter = new Resetter();
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var uri = daemon.Register<IResetter>(resetter, "resetter");
        daemon.Start();
        var proxy = Pyro.Proxy<IResetter>(uri);
        try
        {
            // Off the test's thread: a blocking call that hangs must fail the test, not stall it.
            await Task.Run(async () =>
            {
                if (callFirst) Assert.Equal(0, proxy.Resets);
                switch (shape)
                {
                    case "sync": proxy.Reset(); break;
                    case "task": await proxy.ResetTaskAsync(); break;
                    default: await proxy.ResetValueTaskAsync(); break;
                }
            }).WaitAsync(Limit);
            await resetter.Called.Task.WaitAsync(Limit);
            Assert.Equal(1, await Task.Run(() => proxy.Resets).WaitAsync(Limit));
        }
        finally
        {
            Pyro.Release(proxy);
        }
    }
}

[Expose]
public interface IResetter
{
    [Oneway]
    void Reset();

    [Oneway]
    Task ResetTaskAsync();

    [Oneway]
    ValueTask ResetValueTaskAsync();

    int Resets { get; }
}

public sealed class Resetter : IResetter
{
    public readonly TaskCompletionSource Called = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Resets { get; private set; }

    public void Reset()
    {
        Resets++;
        Called.TrySetResult();
    }

    public Task ResetTaskAsync()
    {
        Reset();
        return Task.CompletedTask;
    }

    public ValueTask ResetValueTaskAsync()
    {
        Reset();
        return ValueTask.CompletedTask;
    }
}

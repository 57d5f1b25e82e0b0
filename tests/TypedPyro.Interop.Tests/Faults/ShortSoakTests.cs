using TypedPyro.Soak;

namespace TypedPyro.Interop.Tests.Faults;

/// <summary>Runs alone: the soak counts the test process's open sockets, which other tests' daemons would raise.</summary>
[CollectionDefinition(nameof(ShortSoakTests), DisableParallelization = true)]
public sealed class SoakCollection;

/// <summary>A short run of benchmarks/TypedPyro.Soak (same code) inside the normal test run, so the soak cannot rot.</summary>
[Collection(nameof(ShortSoakTests))]
public sealed class ShortSoakTests
{
    [Fact]
    public async Task Short_soak_loses_no_reply_and_releases_every_socket()
    {
        var result = await SoakRun.RunAsync(TimeSpan.FromSeconds(4), csharpClients: 16, pythonClients: 3);
        Assert.True(result.Calls > 1000, result.ToString());
        Assert.True(result.Reconnects > 0, result.ToString());
        Assert.Equal(0, result.Mismatched);
        Assert.Equal(0, result.Failed);
        Assert.Equal(0, result.DaemonConnectionsEnd);
        // The process's socket count may fall (a socket another test left for the finalizer closes meanwhile) but must not rise.
        Assert.True(result.SocketsEnd <= result.SocketsStart, result.ToString());
    }
}

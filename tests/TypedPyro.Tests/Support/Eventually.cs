namespace TypedPyro.Tests.Support;

/// <summary>Waits, bounded, for what a daemon does asynchronously (noticing a closed or refused connection).</summary>
internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every 50 ms for up to 5 s, then asserts it.</summary>
    public static async Task TrueAsync(Func<bool> condition)
    {
        for (int i = 0; i < 100 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition());
    }
}

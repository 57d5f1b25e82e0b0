namespace TypedPyro;

/// <summary>
/// Marks a contract's <see cref="IEnumerable{T}"/> or <see cref="IAsyncEnumerable{T}"/> result as a remote iterator,
/// so the daemon streams it item by item even when the implementation returned a materialized collection.
/// Used by generated dispatchers.
/// </summary>
public static class PyroStreams
{
    /// <summary>Streams a synchronous sequence.</summary>
    public static IAsyncEnumerable<object?> Stream<T>(IEnumerable<T> source) => new SyncStream<T>(source ?? throw new ArgumentNullException(nameof(source)));

    /// <summary>Streams an asynchronous sequence.</summary>
    public static async IAsyncEnumerable<object?> Stream<T>(IAsyncEnumerable<T> source)
    {
        await foreach (var item in source.ConfigureAwait(false)) yield return item;
    }

    private sealed class SyncStream<T>(IEnumerable<T> source) : IAsyncEnumerable<object?>
    {
        public IAsyncEnumerator<object?> GetAsyncEnumerator(CancellationToken cancellationToken = default) => new Enumerator(source.GetEnumerator());

        private sealed class Enumerator(IEnumerator<T> inner) : IAsyncEnumerator<object?>
        {
            public object? Current => inner.Current;

            public ValueTask<bool> MoveNextAsync() => ValueTask.FromResult(inner.MoveNext());

            public ValueTask DisposeAsync()
            {
                inner.Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}

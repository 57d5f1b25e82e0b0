using System.Collections;
using System.Collections.Concurrent;

namespace TypedPyro;

/// <summary>
/// The daemon's open remote iterators (Pyro's item streaming): results that are iterators are kept here under a
/// random id and handed out one item per <c>get_next_stream_item</c> call. Streams end when exhausted, closed by
/// the client, older than ITER_STREAM_LIFETIME, or ITER_STREAM_LINGER after their connection closed.
/// </summary>
internal sealed class StreamRegistry
{
    private readonly ConcurrentDictionary<string, Entry> _streams = new(StringComparer.Ordinal);

    public int Count => _streams.Count;

    /// <summary>
    /// True for results Pyro streams: iterators and lazy sequences (C# <c>yield</c> methods, LINQ queries,
    /// <see cref="IAsyncEnumerable{T}"/>), never materialized collections, strings or tuples, which travel whole.
    /// </summary>
    public static bool IsStream(object? result) => result switch
    {
        null or string or ICollection or IDictionary or IReadOnlyCollection<object?> => false,
        IAsyncEnumerable<object?> or IEnumerator => true,
        IEnumerable => true,
        _ => false,
    };

    public string Add(object result, PyroClientConnection? owner)
    {
        var enumerator = result switch
        {
            IAsyncEnumerable<object?> a => a.GetAsyncEnumerator(),
            // Before IEnumerator: C# iterator objects are both, and only GetEnumerator() starts them.
            IEnumerable e => new SyncEnumerator(e.GetEnumerator()),
            IEnumerator e => new SyncEnumerator(e),
            _ => throw new ArgumentException("not a stream", nameof(result)),
        };
        string id = Guid.NewGuid().ToString();
        _streams[id] = new Entry(enumerator, owner, DateTime.UtcNow);
        return id;
    }

    /// <summary>The next item; <see cref="StopIterationException"/> at the end. Any end or error removes the stream.</summary>
    public async ValueTask<object?> NextAsync(string id, PyroClientConnection? client)
    {
        if (!_streams.TryGetValue(id, out var entry)) throw new PyroException("item stream terminated");
        await entry.Gate.WaitAsync().ConfigureAwait(false);
        try
        {
            entry.Owner ??= client; // a reconnecting proxy takes over a lingering stream
            entry.LingerSince = null;
            if (await entry.Enumerator.MoveNextAsync().ConfigureAwait(false)) return entry.Enumerator.Current;
        }
        catch
        {
            await RemoveAsync(id).ConfigureAwait(false);
            throw;
        }
        finally
        {
            entry.Gate.Release();
        }
        await RemoveAsync(id).ConfigureAwait(false);
        throw new StopIterationException();
    }

    public ValueTask RemoveAsync(string id)
        => _streams.TryRemove(id, out var entry) ? entry.Enumerator.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>A connection closed: its streams linger (so a reconnecting proxy can go on) or end now.</summary>
    public async ValueTask OnDisconnectAsync(PyroClientConnection client, TimeSpan linger)
    {
        foreach (var (id, entry) in _streams)
        {
            if (!ReferenceEquals(entry.Owner, client)) continue;
            if (linger > TimeSpan.Zero)
            {
                entry.Owner = null;
                entry.LingerSince = DateTime.UtcNow;
            }
            else
            {
                await RemoveAsync(id).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Periodic cleanup of streams past their lifetime or linger time.</summary>
    public async ValueTask HousekeepAsync(TimeSpan lifetime, TimeSpan linger)
    {
        var now = DateTime.UtcNow;
        foreach (var (id, entry) in _streams)
        {
            bool expired = lifetime > TimeSpan.Zero && now - entry.Created > lifetime;
            bool abandoned = entry.LingerSince is { } since && now - since > linger;
            if (expired || abandoned) await RemoveAsync(id).ConfigureAwait(false);
        }
    }

    public async ValueTask ClearAsync()
    {
        foreach (var id in _streams.Keys) await RemoveAsync(id).ConfigureAwait(false);
    }

    private sealed class Entry(IAsyncEnumerator<object?> enumerator, PyroClientConnection? owner, DateTime created)
    {
        public IAsyncEnumerator<object?> Enumerator { get; } = enumerator;
        public PyroClientConnection? Owner { get; set; } = owner;
        public DateTime Created { get; } = created;
        public DateTime? LingerSince { get; set; }
        public SemaphoreSlim Gate { get; } = new(1, 1);
    }

    private sealed class SyncEnumerator(IEnumerator inner) : IAsyncEnumerator<object?>
    {
        public object? Current => inner.Current;

        public ValueTask<bool> MoveNextAsync() => ValueTask.FromResult(inner.MoveNext());

        public ValueTask DisposeAsync()
        {
            (inner as IDisposable)?.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

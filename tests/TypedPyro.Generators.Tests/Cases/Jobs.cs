// Task/ValueTask with and without cancellation, [Oneway], iterators, snake_case naming on an internal interface.
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TypedPyro;

namespace Example.Jobs;

[Expose, PyroNaming(PyroNamingPolicy.SnakeCase)]
internal interface IJobQueue
{
    Task<int> SubmitAsync(string job, CancellationToken cancellationToken = default);

    Task CancelAsync(int jobId);

    ValueTask<string?> FindAsync(int jobId, CancellationToken cancellationToken);

    ValueTask ClearAsync();

    [Oneway]
    void Ping(string from);

    [Oneway]
    Task NotifyAsync(string message, CancellationToken cancellationToken = default);

    IEnumerable<int> Range(int start, int count);

    IAsyncEnumerable<string> WatchAsync(string topic, CancellationToken cancellationToken = default);

    int PendingCount { get; }
}

using TypedPyro.Serialization;

namespace TypedPyro.Cli.Commands.Scaffold;

/// <summary>What one sample call showed: the arguments sent and the value that came back.</summary>
internal sealed record SampleResult(SampleRequest Request, bool IsAttribute, object? Value, bool Iterated);

/// <summary>Makes the <c>--sample</c> calls, each once, through an untyped proxy.</summary>
internal static class ContractSampler
{
    /// <summary>Items read at most from a remote iterator to type its elements.</summary>
    private const int MaxItems = 1000;

    /// <exception cref="ArgumentException">A sample names nothing the object exposes.</exception>
    public static async Task<Dictionary<string, SampleResult>> RunAsync(PyroProxy proxy, PyroObjectMetadata metadata, IReadOnlyList<SampleRequest> requests, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, SampleResult>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            bool attribute = metadata.Attributes.Contains(request.Name) && request.Arguments is null;
            if (!attribute && !metadata.Methods.Contains(request.Name))
                throw new ArgumentException($"--sample {request.Text}: the object has no method or attribute '{request.Name}'");
            if (attribute)
            {
                results[request.Name] = new SampleResult(request, true, await proxy.GetAttributeAsync(request.Name, cancellationToken).ConfigureAwait(false), false);
                continue;
            }
            var value = await proxy.InvokeAsync(request.Name, request.Arguments ?? [], cancellationToken: cancellationToken).ConfigureAwait(false);
            bool iterated = false;
            if (value is PyroRemoteIterator iterator)
            {
                var items = new List<object?>();
                await foreach (var item in iterator.WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    items.Add(item);
                    if (items.Count == MaxItems) break;
                }
                value = items;
                iterated = true;
            }
            results[request.Name] = new SampleResult(request, false, value, iterated);
        }
        return results;
    }
}

namespace TypedPyro;

/// <summary>Sending requests, with small oneway requests coalesced into shared socket writes.</summary>
public sealed partial class PyroProxy
{
    // Small oneway requests are coalesced (OnewayCoalescer): a oneway call needs no reply, so its frame may wait a
    // moment, and frames queued while a background flush is pending go out in one socket write. Anything else sent on
    // the connection writes the queue first, so order is kept.
    // Like any oneway send, a frame lost with a failing connection is not reported (Python's oneway send to a dead
    // peer's socket buffer does not fail either); the next call reconnects.

    /// <summary>Sends a framed request (under the gate): queued if it is a small oneway, else after any queued ones.</summary>
    private async ValueTask SendRequestAsync(Stream stream, SentRequest request, CancellationToken token)
    {
        if (request.Oneway && request.IsWholeFrame && _oneways.TryQueue(stream, _frame.WrittenSpan)) return;
        await _oneways.FlushAsync(stream, token).ConfigureAwait(false);
        await stream.WriteAsync(_frame.WrittenMemory, token).ConfigureAwait(false);
        if (!request.SeparatePayload.IsEmpty) await stream.WriteAsync(request.SeparatePayload, token).ConfigureAwait(false);
        if (request.Segmented) await _buffer.WriteToAsync(stream, token).ConfigureAwait(false);
    }

    /// <summary><see cref="SendRequestAsync"/> with blocking writes.</summary>
    private void SendRequest(Stream stream, SentRequest request)
    {
        if (request.Oneway && request.IsWholeFrame && _oneways.TryQueue(stream, _frame.WrittenSpan)) return;
        _oneways.Flush(stream);
        stream.Write(_frame.WrittenSpan);
        if (!request.SeparatePayload.IsEmpty) stream.Write(request.SeparatePayload.Span);
        if (request.Segmented) _buffer.WriteTo(stream);
    }
}

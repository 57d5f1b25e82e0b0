using System.Net.Sockets;
using TypedPyro.Protocol;

namespace TypedPyro;

/// <summary>Timeouts for blocking calls, kept on blocking socket I/O.</summary>
public sealed partial class PyroProxy
{
    // A blocking call with a timeout uses the socket's own send and receive timeouts (SO_SNDTIMEO, SO_RCVTIMEO), as
    // Python's proxy uses socket.settimeout: each send or receive may take up to the timeout. An async call's timeout
    // covers the whole call instead (a cancellation token); .NET ignores the socket timeouts for async operations.
    // Waiting on a cancellable task instead would switch the socket to non-blocking mode for good (see
    // docs/call-semantics.md, "Blocking and async calls").

    /// <summary>The receive and send timeout set on the current connection's socket, in ms (0: none).</summary>
    private int _socketTimeoutMs;

    private bool HasTimeout => Timeout > TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan;

    /// <summary>
    /// Whether a blocking call's timeout can be kept by the socket. Not on a stream handed in
    /// (<see cref="ForConnectedStream"/>): such a call takes the async path, whose timeout is a cancellation.
    /// </summary>
    private bool SocketKeepsTimeout => _connectedStream is null;

    /// <summary>Gives the socket of a new connection the proxy's timeout (under the gate).</summary>
    private void StartSocketTimeouts()
    {
        _socketTimeoutMs = 0; // a new socket has none
        ApplySocketTimeouts();
    }

    /// <summary>Brings the socket's timeouts in line with <see cref="Timeout"/>, which may have changed since (under the gate).</summary>
    private void ApplySocketTimeouts()
    {
        int wanted = HasTimeout ? (int)Math.Min(int.MaxValue, Math.Ceiling(Timeout.TotalMilliseconds)) : 0;
        if (wanted == _socketTimeoutMs || ConnectedSocket is not { } socket) return;
        socket.ReceiveTimeout = wanted;
        socket.SendTimeout = wanted;
        _socketTimeoutMs = wanted;
    }

    /// <summary>A socket timeout of a blocking send or receive (NetworkStream wraps it in an IOException).</summary>
    private static bool IsSocketTimeout(Exception e)
        => e is IOException { InnerException: SocketException { SocketErrorCode: SocketError.TimedOut } }
            or SocketException { SocketErrorCode: SocketError.TimedOut };

    /// <summary>A pipelined blocking caller waits for the reader to hand it its reply, at most <see cref="Timeout"/>.</summary>
    private PyroMessage? WaitForReply(ReplyQueue.Waiter waiter)
    {
        var reply = waiter.Reply.Task;
        if (HasTimeout && !reply.IsCompleted)
        {
            try
            {
                if (!reply.Wait(Timeout)) throw new PyroTimeoutException("receiving: timeout");
            }
            catch (AggregateException)
            {
                // Failed: rethrown unwrapped below.
            }
        }
        return reply.GetAwaiter().GetResult();
    }
}

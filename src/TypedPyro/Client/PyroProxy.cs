using System.Buffers;
using System.Collections;
using System.Net.Sockets;
using TypedPyro.Protocol;
using TypedPyro.Serialization;
using TypedPyro.Transport;

namespace TypedPyro;

/// <summary>
/// An untyped client of one Pyro object: connects and handshakes on first use, calls methods with positional and
/// keyword arguments, honours oneway metadata, and reconnects transparently on the next call after a
/// communication failure or <see cref="Release"/>. Typed contracts get a generated proxy built on this one.
/// </summary>
/// <remarks>
/// Thread-safe: calls from several threads share the one connection and are sent one at a time (each waits for its
/// reply before the next request is written), which is what Pyro4 daemons expect. Use one proxy per thread for
/// parallel calls. Pyro4 has no cancel message: cancelling a call stops waiting and closes the connection, so a late
/// reply can never be taken for another call's; the remote method may still run to completion.
/// </remarks>
public sealed partial class PyroProxy : IAsyncDisposable, IDisposable
{
    private static readonly uint ConnectReplies = MessageCodec.Accept(MessageType.ConnectOk, MessageType.ConnectFail);
    private static readonly uint ResultReply = MessageCodec.Accept(MessageType.Result);
    private static readonly uint PingReply = MessageCodec.Accept(MessageType.Ping);

    private readonly CallGate _gate = new();
    private readonly PyroProxyOptions _options;
    private readonly PyroConfig _config;
    private readonly MessageSecurity _security;
    private readonly PooledBufferWriter _buffer = new(512);
    private readonly PooledBufferWriter _frame = new(512);
    private readonly OnewayCoalescer _oneways;
    private readonly ResponseAnnotationStore _responseAnnotations = new();
    private Stream? _stream;
    private MessageReader? _reader;
    private readonly Stream? _connectedStream;
    private ushort _sequence;

    // The last method that passed the metadata check, the metadata it passed against, and whether that metadata makes it
    // oneway. A proxy mostly calls the same method again, and typed proxies pass interned names: a reference compare
    // then saves the two set lookups per call (~1% of a typed oneway loop's profile). Only touched under the call gate.
    private PyroObjectMetadata? _checkedMetadata;
    private string? _checkedMethod;
    private bool _checkedOneway;
    private bool _disposed;
    // Pyro5 (protocol 502) instead of Pyro4: fixed for the proxy's life (PyroProxy.Protocol.cs).
    private readonly bool _pyro5;

    /// <summary>Creates a proxy; nothing is connected until the first call or <see cref="ConnectAsync"/>.</summary>
    public PyroProxy(PyroUri uri, PyroProxyOptions? options = null)
    {
        Uri = uri ?? throw new ArgumentNullException(nameof(uri));
        _options = options ?? new PyroProxyOptions();
        _config = _options.Config ?? PyroConfig.Default;
        _security = new MessageSecurity(_options.HmacKey, _config.MaxMessageSize);
        _pyro5 = UsesPyro5(_options);
        _tls = TlsClient.Create(_config, _options.Tls);
        Serializer = _options.Serializer is { } id
            ? PyroSerializers.Find((ushort)id) ?? throw new SerializeException($"serializer {id} is not supported")
            : PyroSerializers.ForName(_config.Serializer);
        if (_pyro5) Serializer = Pyro5Serializers.For(Serializer);
        MaxRetries = _config.MaxRetries;
        var configured = _config.CommTimeout;
        Timeout = _options.Timeout ?? (configured > TimeSpan.Zero ? configured : System.Threading.Timeout.InfiniteTimeSpan);
        _oneways = new OnewayCoalescer(() => _stream, stream =>
        {
            if (!ReferenceEquals(stream, _connectedStream)) stream.Dispose();
        });
    }

    private PyroProxy(string objectId, Stream connectedStream, PyroProxyOptions? options)
        : this(new PyroUri(objectId, "<<connected-socket>>", 0), options)
    {
        _connectedStream = connectedStream;
    }

    /// <summary>
    /// A proxy over an already-connected stream (Python's <c>Proxy(objectId, connected_socket=...)</c>): no CONNECT
    /// handshake; metadata is fetched with a <c>get_metadata</c> call. Releasing or disposing the proxy leaves the
    /// stream open: its owner closes it.
    /// </summary>
    public static PyroProxy ForConnectedStream(string objectId, Stream stream, PyroProxyOptions? options = null)
        => new(objectId, stream ?? throw new ArgumentNullException(nameof(stream)), options);

    /// <summary>Creates a proxy from a URI string (<c>PYRO:obj@host:port</c>, <c>PYRONAME:name</c>, ...).</summary>
    public PyroProxy(string uri, PyroProxyOptions? options = null) : this(PyroUri.Parse(uri), options) { }

    /// <summary>The URI this proxy was made for (PYRONAME URIs are resolved again on every connect).</summary>
    public PyroUri Uri { get; }

    /// <summary>The resolved <c>PYRO:</c> URI of the current or last connection.</summary>
    public PyroUri? ResolvedUri { get; private set; }

    /// <summary>The serializer in use.</summary>
    public PyroSerializer Serializer { get; }

    /// <summary>Timeout for connect, send and receive (<see cref="System.Threading.Timeout.InfiniteTimeSpan"/> = none).</summary>
    public TimeSpan Timeout { get; set; }

    /// <summary>
    /// How many times a call is retried after <see cref="ConnectionClosedException"/> or <see cref="PyroTimeoutException"/>
    /// (config MAX_RETRIES, default 0). Only safe for calls that may run twice.
    /// </summary>
    public int MaxRetries { get; set; }

    /// <summary>The object's metadata, known after the first connect (when METADATA is on).</summary>
    public PyroObjectMetadata? Metadata { get; private set; }

    /// <summary>What the daemon answered to the handshake.</summary>
    public object? HandshakeResponse { get; private set; }

    /// <summary>Annotations of the last reply (Python's <c>current_context.response_annotations</c>).</summary>
    public IReadOnlyList<Annotation> ResponseAnnotations => _responseAnnotations.Current;

    /// <summary>True while a connection is open.</summary>
    public bool IsConnected => _stream is not null;

    /// <summary>The socket of the open connection, if it is one (tests look at its blocking mode).</summary>
    internal Socket? ConnectedSocket => (_stream as NetworkStream)?.Socket ?? TlsSocket;

    /// <summary>Connects and handshakes now if not connected yet (Python's <c>_pyroBind</c>).</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var timeout = StartTimeout(cancellationToken);
            try
            {
                await EnsureConnectedAsync(timeout.Token, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsConnectionFailure(e))
            {
                throw Fail(e, cancellationToken);
            }
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary><see cref="ConnectAsync"/> for a blocking caller: connects with blocking socket calls only.</summary>
    internal void Connect()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // A stream handed in has no socket timeouts: its timeout needs the async path (which takes the gate itself).
        if (HasTimeout && !SocketKeepsTimeout)
        {
            ConnectAsync().GetAwaiter().GetResult();
            return;
        }
        _gate.Enter();
        try
        {
            if (_stream is null) EnsureConnected();
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            throw Fail(e, CancellationToken.None); // still under the gate: catch runs before finally
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>
    /// Calls <paramref name="method"/>. Oneway methods (by metadata) return null at once without waiting.
    /// </summary>
    /// <returns>The result in the untyped object model; a <see cref="PyroRemoteIterator"/> when the remote method
    /// returned an iterator or generator.</returns>
    /// <exception cref="MissingMemberException">The object does not expose <paramref name="method"/> (checked locally when metadata is known).</exception>
    /// <exception cref="CommunicationException">The call could not be completed; the next call reconnects.</exception>
    /// <exception cref="PyroTimeoutException">No reply within <see cref="Timeout"/>.</exception>
    /// <remarks>Exceptions raised remotely arrive as mapped .NET exceptions (see <c>docs/exceptions.md</c>).</remarks>
    public Task<object?> InvokeAsync(string method, IReadOnlyList<object?>? args = null, IReadOnlyDictionary<string, object?>? kwargs = null, CancellationToken cancellationToken = default)
        => CallWithRetriesAsync(method, args ?? PyTuple.Empty, kwargs ?? NoKeywords, forceOneway: false, cancellationToken);

    /// <summary>
    /// An untyped call with <see cref="MaxRetries"/>: every call a Python proxy makes goes through its
    /// <c>_pyroInvoke</c>, whose retry loop covers oneway calls, attribute access and batches alike.
    /// </summary>
    private async Task<object?> CallWithRetriesAsync(string method, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs, bool forceOneway, CancellationToken cancellationToken, MessageFlags flags = MessageFlags.None, bool raw = false)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await CallAsync(method, new UntypedPayload(args, kwargs), forceOneway, cancellationToken, objectId: null, flags, raw).ConfigureAwait(false);
            }
            catch (Exception e) when (ShouldRetry(e, attempt) && !cancellationToken.IsCancellationRequested)
            {
                // MAX_RETRIES: the connection is already closed; the next attempt reconnects.
            }
        }
    }

    /// <summary>
    /// Drops the connection and connects again, retrying every 2 seconds up to <paramref name="tries"/> times
    /// (Python's <c>_pyroReconnect</c>). PYRONAME URIs are looked up again.
    /// </summary>
    /// <exception cref="ConnectionClosedException">"failed to reconnect" after the last try.</exception>
    public async Task ReconnectAsync(int tries = 100_000_000, CancellationToken cancellationToken = default)
    {
        Release();
        while (tries > 0)
        {
            try
            {
                await ConnectAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (CommunicationException)
            {
                if (--tries > 0) await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            }
        }
        throw new ConnectionClosedException("failed to reconnect");
    }

    /// <summary>Calls <paramref name="method"/> as oneway whatever the metadata says: no reply, no error reported.</summary>
    public Task InvokeOnewayAsync(string method, IReadOnlyList<object?>? args = null, IReadOnlyDictionary<string, object?>? kwargs = null, CancellationToken cancellationToken = default)
        => CallWithRetriesAsync(method, args ?? PyTuple.Empty, kwargs ?? NoKeywords, forceOneway: true, cancellationToken);

    /// <summary>
    /// Calls and returns the reply message itself, undeserialized (Python's <c>_pyroRawWireResponse</c>): for
    /// gateways that pass a daemon's payload on as it is. Null for oneway calls. Remote exceptions are not thrown:
    /// the reply has <see cref="MessageFlags.Exception"/> set and its payload is the exception.
    /// </summary>
    public async Task<PyroMessage?> InvokeRawAsync(string method, IReadOnlyList<object?>? args = null, IReadOnlyDictionary<string, object?>? kwargs = null, bool oneway = false, CancellationToken cancellationToken = default)
        => (PyroMessage?)await CallWithRetriesAsync(method, args ?? PyTuple.Empty, kwargs ?? NoKeywords, forceOneway: oneway, cancellationToken, raw: true).ConfigureAwait(false);

    /// <summary>Starts a batch of calls to this object, sent as one message (Pyro's <c>Pyro4.batch</c>).</summary>
    public PyroBatch CreateBatch() => new(this);

    internal Task<object?> InvokeBatchAsync(IReadOnlyList<object?> calls, bool oneway, CancellationToken cancellationToken)
        => CallWithRetriesAsync("<batch>", calls, null, forceOneway: oneway, cancellationToken, flags: MessageFlags.Batch);

    /// <summary>
    /// Synchronous <see cref="InvokeAsync"/> with positional arguments, made with blocking socket I/O rather than by
    /// blocking on the async path (docs/call-semantics.md, "Blocking and async calls").
    /// </summary>
    public object? Invoke(string method, params object?[] args) => InvokeBlocking(method, new PyTuple(args), NoKeywords);

    /// <summary><see cref="InvokeAsync"/> for a blocking caller (with its MAX_RETRIES), made with blocking socket I/O.</summary>
    internal object? InvokeBlocking(string method, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs, bool forceOneway = false)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return CallBlocking(method, args, kwargs ?? NoKeywords, forceOneway);
            }
            catch (Exception e) when (ShouldRetry(e, attempt))
            {
                // As in InvokeAsync: the connection is already closed; the next attempt reconnects.
            }
        }
    }

    /// <summary>A call in the object model for a blocking caller, made with blocking socket I/O; no retries.</summary>
    internal object? CallBlocking(string method, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs, bool forceOneway, string? objectId = null)
        => Call(method, new UntypedPayload(args, kwargs), forceOneway, objectId);

    /// <summary>Reads a remote attribute (a Python property listed in the metadata's attrs).</summary>
    public Task<object?> GetAttributeAsync(string name, CancellationToken cancellationToken = default)
        => CallWithRetriesAsync("__getattr__", new PyTuple(name), null, forceOneway: false, cancellationToken);

    /// <summary>Writes a remote attribute.</summary>
    public Task SetAttributeAsync(string name, object? value, CancellationToken cancellationToken = default)
        => CallWithRetriesAsync("__setattr__", new PyTuple(name, value), null, forceOneway: false, cancellationToken);

    /// <summary>Sends a protocol-level PING and waits for the pong (connecting first if needed).</summary>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        (ReplyQueue.Waiter Waiter, bool Reads, Stream Stream, MessageReader Reader)? pipelined = null;
        using var timeout = StartTimeout(cancellationToken);
        await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            try
            {
                await EnsureConnectedAsync(timeout.Token, cancellationToken).ConfigureAwait(false);
                await SendAsync(new PyroMessage(MessageType.Ping, MessageFlags.None, 0, (ushort)SerializerId.Ping, "ping"u8.ToArray()), blocking: false, timeout.Token).ConfigureAwait(false);
                if (_options.Pipelining)
                {
                    // Replies to calls sent before this ping come first: the ping waits its turn like a call.
                    var waiter = new ReplyQueue.Waiter();
                    pipelined = (waiter, _replies.Enqueue(waiter), _stream!, _reader!);
                }
                else
                {
                    await _reader!.ReadAsync(PingReply, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (IsConnectionFailure(e))
            {
                throw Fail(e, cancellationToken);
            }
        }
        finally
        {
            TrimBuffers();
            _gate.Exit();
        }
        if (pipelined is var (waiter2, reads, stream, reader))
        {
            try
            {
                await AwaitReplyAsync(waiter2, reads, reader, static _ => null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (IsConnectionFailure(e))
            {
                throw Fail(e, cancellationToken, stream);
            }
        }
    }

    internal static readonly IReadOnlyDictionary<string, object?> NoKeywords = new Dictionary<string, object?>();

    internal Task<object?> CallAsync(string method, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs, bool forceOneway, CancellationToken cancellationToken, string? objectId = null, MessageFlags flags = MessageFlags.None, bool raw = false)
        => CallAsync(method, new UntypedPayload(args, kwargs), forceOneway, cancellationToken, objectId, flags, raw).AsTask();

    /// <summary>
    /// A call with typed arguments (generated proxies): written without boxing, sent and its reply read; repeated
    /// after a lost connection or a timeout up to <see cref="MaxRetries"/> times, as Python's proxy methods are.
    /// </summary>
    internal ValueTask<object?> CallTypedAsync<TArgs>(string method, TArgs args, bool forceOneway, CancellationToken cancellationToken, bool bytesResult = false) where TArgs : struct, IPyroArguments
        => MaxRetries > 0
            ? CallTypedWithRetriesAsync(method, args, forceOneway, cancellationToken, bytesResult)
            : CallAsync(method, new TypedPayload<TArgs>(args, bytesResult), forceOneway, cancellationToken);

    private async ValueTask<object?> CallTypedWithRetriesAsync<TArgs>(string method, TArgs args, bool forceOneway, CancellationToken cancellationToken, bool bytesResult) where TArgs : struct, IPyroArguments
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await CallAsync(method, new TypedPayload<TArgs>(args, bytesResult), forceOneway, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (ShouldRetry(e, attempt) && !cancellationToken.IsCancellationRequested)
            {
                // The connection is already closed; the next attempt reconnects.
            }
        }
    }

    /// <summary>The synchronous twin of <see cref="CallTypedAsync"/>, for synchronous contract methods.</summary>
    internal object? CallTyped<TArgs>(string method, TArgs args, bool forceOneway, bool bytesResult = false) where TArgs : struct, IPyroArguments
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return Call(method, new TypedPayload<TArgs>(args, bytesResult), forceOneway);
            }
            catch (Exception e) when (ShouldRetry(e, attempt))
            {
                // The connection is already closed; the next attempt reconnects.
            }
        }
    }

    /// <summary>MAX_RETRIES: a call is repeated after a lost connection or a timeout (Python's recoverable errors).</summary>
    private bool ShouldRetry(Exception e, int attempt) => e is ConnectionClosedException or PyroTimeoutException && attempt < MaxRetries;

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<object?> CallAsync<TPayload>(string method, TPayload payload, bool forceOneway, CancellationToken cancellationToken, string? objectId = null, MessageFlags flags = MessageFlags.None, bool raw = false)
        where TPayload : struct, ICallPayload
    {
        if (_options.Pipelining) return await CallPipelinedAsync(method, payload, forceOneway, cancellationToken, objectId, flags, raw).ConfigureAwait(false);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var timeout = StartTimeout(cancellationToken);
            System.Diagnostics.Activity? activity = null;
            long started = PyroMetrics.ClientStart();
            try
            {
                await EnsureConnectedAsync(timeout.Token, cancellationToken).ConfigureAwait(false);
                var request = WriteRequest(method, payload, forceOneway, objectId, flags, out activity);
                await SendRequestAsync(_stream!, request, timeout.Token).ConfigureAwait(false);
                if (request.Oneway) return null;
                var reply = await _reader!.ReadAsync(ResultReply, timeout.Token).ConfigureAwait(false);
                return ReadReply(request, reply, raw);
            }
            catch (Exception e)
            {
                var failure = Failed(e, activity, cancellationToken);
                if (failure == e) throw;
                throw failure;
            }
            finally
            {
                activity?.Dispose();
                PyroMetrics.ClientCallEnded(started, objectId ?? ResolvedUri?.Object, method);
            }
        }
        finally
        {
            TrimBuffers();
            _gate.Exit();
        }
    }

    /// <summary>
    /// A call made with blocking socket I/O: synchronous contract methods use it rather than blocking on the async
    /// path, which saves a thread-pool hop and the task. A timeout is the socket's (PyroProxy.BlockingTimeouts.cs);
    /// only on a stream handed in, which has none, does a call with a timeout take the async path.
    /// </summary>
    private object? Call<TPayload>(string method, TPayload payload, bool forceOneway, string? objectId = null) where TPayload : struct, ICallPayload
    {
        if (HasTimeout && !SocketKeepsTimeout)
            return CallAsync(method, payload, forceOneway, CancellationToken.None, objectId).AsTask().GetAwaiter().GetResult();
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_options.Pipelining) return CallPipelined(method, payload, forceOneway, objectId);
        _gate.Enter();
        try
        {
            System.Diagnostics.Activity? activity = null;
            long started = PyroMetrics.ClientStart();
            try
            {
                if (_stream is null) EnsureConnected();
                else ApplySocketTimeouts();
                var request = WriteRequest(method, payload, forceOneway, objectId, MessageFlags.None, out activity);
                SendRequest(_stream!, request);
                if (request.Oneway) return null;
                return ReadReply(request, _reader!.Read(ResultReply), raw: false);
            }
            catch (Exception e)
            {
                var failure = Failed(e, activity, CancellationToken.None);
                if (failure == e) throw;
                throw failure;
            }
            finally
            {
                activity?.Dispose();
                PyroMetrics.ClientCallEnded(started, objectId ?? ResolvedUri?.Object, method);
            }
        }
        finally
        {
            TrimBuffers();
            _gate.Exit();
        }
    }

    /// <summary>A framed request: what reading its reply needs, and a bulk payload to send after the frame, if any.</summary>
    private readonly record struct SentRequest(ushort Sequence, bool Oneway, bool Batch, ReadOnlyMemory<byte> SeparatePayload, bool Segmented = false)
    {
        /// <summary>The caller converts the result to <c>byte[]</c> (<see cref="ICallPayload.BytesResult"/>).</summary>
        public bool BytesResult { get; init; }

        /// <summary>The frame alone is the whole message (small enough to queue if oneway).</summary>
        public bool IsWholeFrame => SeparatePayload.IsEmpty && !Segmented;
    }

    /// <summary>
    /// Checks the call against the metadata, serializes it and frames it into <see cref="_frame"/> (a bulk payload stays
    /// where it was serialized and is sent after the frame).
    /// </summary>
    private SentRequest WriteRequest<TPayload>(string method, TPayload payload, bool forceOneway, string? objectId, MessageFlags flags, out System.Diagnostics.Activity? activity)
        where TPayload : struct, ICallPayload
    {
        var metadata = Metadata;
        bool batch = (flags & MessageFlags.Batch) != 0;
        // A call to the proxy's own object, checked against its metadata (a batch's entries are the daemon's to check).
        bool checkedCall = objectId is null && !batch && metadata is not null;
        bool oneway;
        if (checkedCall && ReferenceEquals(_checkedMethod, method) && ReferenceEquals(_checkedMetadata, metadata))
        {
            oneway = forceOneway || _checkedOneway;
        }
        else
        {
            bool attribute = method is "__getattr__" or "__setattr__";
            if (checkedCall && !attribute && !metadata!.Methods.Contains(method) && !metadata.Attributes.Contains(method))
                throw new MissingMemberException($"remote object '{ResolvedUri}' has no exposed attribute or method '{method}'");
            if (objectId is null && metadata is not null && attribute && payload.FirstArgument is var name && !metadata.Attributes.Contains((string)name!))
                throw new MissingMemberException($"remote object '{ResolvedUri}' has no exposed attribute '{name}'");
            bool onewayByMetadata = objectId is null && (metadata?.Oneway.Contains(method) ?? false);
            if (checkedCall && !attribute) (_checkedMetadata, _checkedMethod, _checkedOneway) = (metadata, method, onewayByMetadata);
            oneway = forceOneway || onewayByMetadata;
        }
        ushort seq = unchecked(++_sequence);
        _buffer.ResetWrittenCount();
        string target = objectId ?? ResolvedUri!.Object;
        // Read once: each read looks up two async-locals.
        var correlation = PyroCorrelation.Current;
        var annotations = RequestAnnotations(correlation);
        ReadOnlyMemory<byte> data;
        if (payload.FirstArgument is SerializedBlob blob)
        {
            (data, annotations) = SerializeBlobCall(blob, payload.Untyped, target, method, annotations, ref flags);
        }
        else
        {
            // Bulk byte arrays may be sent in place (msgpack bin) when nothing needs the payload in one piece.
            _buffer.AllowReferences = _security.HmacKey is null && !_config.Compression && !_pyro5;
            try
            {
                payload.Serialize(Serializer, _buffer, target, method);
            }
            finally
            {
                _buffer.AllowReferences = false;
            }
            data = _buffer.HasReferences ? default : _buffer.WrittenMemory;
        }
        if (oneway) flags |= MessageFlags.Oneway;
        activity = PyroTelemetry.StartCall(System.Diagnostics.ActivityKind.Client, target, method, correlation);
        _frame.ResetWrittenCount();
        if (_buffer.HasReferences)
        {
            MessageCodec.WriteHeaderOnly(_frame, MessageType.Invoke, flags, seq, (ushort)Serializer.Id, _buffer.TotalLength, annotations ?? [], _security);
            PyroMetrics.ClientRequest(target, method, oneway, _frame.WrittenCount + _buffer.TotalLength);
            return new SentRequest(seq, oneway, batch, default, Segmented: true) { BytesResult = payload.BytesResult };
        }
        if ((flags & MessageFlags.Compressed) == 0 && _config.Compression && PayloadCompression.TryCompress(data.Span) is { } compressed)
        {
            data = compressed;
            flags |= MessageFlags.Compressed;
        }
        bool separate = WriteFrameForSending(MessageType.Invoke, flags, seq, data.Span, annotations ?? []);
        PyroMetrics.ClientRequest(target, method, oneway, _frame.WrittenCount + (separate ? data.Length : 0));
        return new SentRequest(seq, oneway, batch, separate ? data : default) { BytesResult = payload.BytesResult };
    }

    /// <summary>Checks a reply against its request and turns it into the call's result (or throws its exception).</summary>
    private object? ReadReply(SentRequest request, PyroMessage reply, bool raw)
    {
        PyroMetrics.ClientReply(reply);
        if (reply.Sequence != request.Sequence) throw new ProtocolException($"invoke: reply sequence out of sync, got {reply.Sequence} expected {request.Sequence}");
        if (reply.SerializerId != (ushort)Serializer.Id) throw new SerializeException($"invalid serializer in response: {reply.SerializerId}");
        _responseAnnotations.Keep(reply.Annotations);
        // The reply points into the reader's buffer: a raw reply leaves this method, so it gets its own copy.
        if (raw) return MessageReader.Detach(reply);
        var data = reply.GetSerializedData(_security.MaxMessageSize);
        // A typed method returning bytes gets them decoded straight from the reply into its array.
        var value = request.BytesResult && !reply.Has(MessageFlags.Exception) ? Serializer.DeserializeBytesResult(data) : Serializer.Deserialize(data.Span);
        if (request.Batch && !reply.Has(MessageFlags.Exception)) return value;
        if (reply.Has(MessageFlags.ItemStreamResult))
        {
            return reply.TryGetAnnotation(Annotation.Stream, out var streamId)
                ? new PyroRemoteIterator(this, System.Text.Encoding.ASCII.GetString(streamId.Span))
                : throw new ProtocolException("result of call is an iterator, but the server is not configured to allow streaming");
        }
        if (reply.Has(MessageFlags.Exception)) throw PyroExceptionMapping.FromWireValue(value);
        return value;
    }

    /// <summary>
    /// Annotations sent with every request of this proxy (4-character keys, values of at most 65535 bytes). Pyro's own
    /// keys (CORR, HMAC, STRM, BLBI) are refused: use <see cref="PyroCorrelation"/> for correlation ids.
    /// </summary>
    public IDictionary<string, byte[]> Annotations { get; } = new AnnotationDictionary();

    /// <summary>
    /// Pyro's KEEPSERIALIZED call: the routing info goes in the BLBI annotation (marshal of (info, object, method)) and
    /// the payload is the blob's original bytes, or a normal call serialization of its arguments.
    /// </summary>
    private (ReadOnlyMemory<byte> Payload, IReadOnlyList<Annotation>? Annotations) SerializeBlobCall(SerializedBlob blob, UntypedPayload payload,
        string objectId, string method, IReadOnlyList<Annotation>? annotations, ref MessageFlags flags)
    {
        var kwargs = payload.Kwargs;
        if (payload.Args.Count > 1 || kwargs is { Count: > 0 }) throw new SerializeException("if SerializedBlob is used, it must be the only argument");
        flags |= MessageFlags.KeepSerialized;
        var blobInfo = new Annotation(Annotation.BlobInfo, ((MarshalSerializer)PyroSerializers.Marshal).SerializeBlobInfo(blob.Info, objectId, method));
        var all = new List<Annotation>(annotations ?? []) { blobInfo };
        if (blob.ContainsSerializedPayload)
        {
            if (blob.SerializerId != (ushort)Serializer.Id) throw new SerializeException($"the blob was serialized with serializer {blob.SerializerId}; this proxy uses {(ushort)Serializer.Id}");
            if (blob.IsCompressed) flags |= MessageFlags.Compressed;
            return (blob.Payload, all);
        }
        Serializer.SerializeCall(_buffer, objectId, method, blob.Arguments!, kwargs);
        return (_buffer.WrittenMemory, all);
    }

    private IReadOnlyList<Annotation>? RequestAnnotations() => RequestAnnotations(PyroCorrelation.Current);

    private IReadOnlyList<Annotation>? RequestAnnotations(Guid? correlation)
    {
        if (Annotations.Count == 0 && correlation is null) return null;
        var list = new List<Annotation>(Annotations.Count + 1);
        foreach (var (key, value) in Annotations) list.Add(new Annotation(key, value));
        if (correlation is { } id) list.Add(new Annotation(Annotation.Correlation, CorrelationId.ToBytes(id)));
        return list;
    }

    /// <summary>
    /// Connects for a blocking caller with blocking socket calls only. A .NET socket that has seen one async operation
    /// is switched to non-blocking mode for good; each blocking receive on it then waits for the runtime's event loop
    /// to signal it, a thread hand-off per reply (about a fifth of a loopback round trip). Connected this way, the
    /// socket stays in blocking mode until something on it goes async (an async call, a background oneway flush).
    /// </summary>
    private void EnsureConnected()
    {
        var connecting = EnsureConnectedAsync(CancellationToken.None, CancellationToken.None, blocking: true);
        connecting.GetAwaiter().GetResult(); // complete: every step, a PYRONAME lookup included, blocked on this thread
    }

    /// <summary>Connects and handshakes if not connected; with <paramref name="blocking"/>, by blocking socket calls only.</summary>
    private async ValueTask EnsureConnectedAsync(CancellationToken token, CancellationToken userToken, bool blocking = false)
    {
        if (_stream is not null) return;
        if (_connectedStream is not null)
        {
            _stream = _connectedStream;
            _reader = new MessageReader(_connectedStream, _security, pyro5: _pyro5);
            ResolvedUri = Uri;
            if (_config.Metadata && Metadata is null)
                Metadata = PyroObjectMetadata.FromWireValue(await CallDaemonObjectAsync("get_metadata", Uri.Object, blocking, token).ConfigureAwait(false));
            return;
        }
        var target = await ResolveAsync(blocking, token).ConfigureAwait(false);
        string location = target.Location ?? target.ToString();
        Socket socket;
        try
        {
            socket = blocking
                ? PyroEndpoint.Connect(target, _config.PreferIpVersion, Timeout)
                : await PyroEndpoint.ConnectAsync(target, _config.PreferIpVersion, token).ConfigureAwait(false);
        }
        catch (SocketException e) when (IsSocketTimeout(e))
        {
            throw new PyroTimeoutException($"cannot connect to {location}: timeout", e);
        }
        catch (SocketException e)
        {
            throw new CommunicationException($"cannot connect to {location}: {e.Message}", e);
        }
        PyroEndpoint.Configure(socket);
        var stream = await SecureAsync(new NetworkStream(socket, ownsSocket: true), target, location, blocking, token).ConfigureAwait(false);
        _oneways.BlockingWrites = blocking;
        try
        {
            var handshake = new Dictionary<object, object?> { ["handshake"] = _options.Handshake };
            var flags = MessageFlags.None;
            if (_config.Metadata || _pyro5)
            {
                // Pyro5 always names the object: its daemon always answers with the metadata.
                handshake["object"] = target.Object;
                if (!_pyro5) flags = MessageFlags.MetaOnConnect;
            }
            _buffer.ResetWrittenCount();
            Serializer.Serialize(_buffer, handshake);
            _stream = stream;
            _reader = new MessageReader(stream, _security, pyro5: _pyro5);
            StartSocketTimeouts();
            await SendAsync(new PyroMessage(MessageType.Connect, flags, _sequence, (ushort)Serializer.Id, _buffer.WrittenMemory, RequestAnnotations()), blocking, token).ConfigureAwait(false);
            PyroMessage reply;
            try
            {
                reply = blocking ? _reader.Read(ConnectReplies) : await _reader.ReadAsync(ConnectReplies, token).ConfigureAwait(false);
            }
            catch (PyroException e) when (e is not CommunicationException)
            {
                throw new CommunicationException($"cannot connect to {location}: {e.Message}", e);
            }
            var replySerializer = FindSerializer(reply.SerializerId)
                ?? throw new SerializeException($"invalid serializer in response: {reply.SerializerId}");
            object? response = reply.Payload.IsEmpty ? "?" : replySerializer.Deserialize(reply.GetSerializedData(_security.MaxMessageSize).Span);
            if (reply.Type == MessageType.ConnectFail)
                throw new CommunicationException($"connection to {location} rejected: {(response is string s ? s : PythonRepr.Format(response))}");

            if (reply.Has(MessageFlags.MetaOnConnect) || _pyro5)
            {
                if (response is not IDictionary map || !map.Contains("meta")) throw new ProtocolException("CONNECTOK without metadata");
                Metadata = PyroObjectMetadata.FromWireValue(map["meta"]);
                response = map.Contains("handshake") ? map["handshake"] : null;
            }
            ResolvedUri = target;
            HandshakeResponse = response;
            _responseAnnotations.Keep(reply.Annotations);
            _options.ValidateHandshake?.Invoke(response);
            if (_config.Metadata && Metadata is null)
            {
                // A daemon that ignored FLAGS_META_ON_CONNECT: ask Pyro.Daemon directly, as Python does.
                Metadata = PyroObjectMetadata.FromWireValue(await CallDaemonObjectAsync("get_metadata", target.Object, blocking, token).ConfigureAwait(false));
            }
            if (Metadata is { IsEmpty: true })
                throw new PyroException("remote object doesn't expose any methods or attributes. Did you forget setting @expose on them?");
            PyroMetrics.ClientConnectionOpened();
        }
        catch
        {
            _stream = null;
            stream.Dispose();
            throw;
        }
    }

    private async ValueTask<object?> CallDaemonObjectAsync(string method, string argument, bool blocking, CancellationToken token)
    {
        ushort seq = unchecked(++_sequence);
        _buffer.ResetWrittenCount();
        // Pyro's own internal calls send vargs as a list.
        Serializer.SerializeCall(_buffer, PyroNames.DaemonObjectId, method, new List<object?> { argument }, NoKeywords);
        await SendAsync(new PyroMessage(MessageType.Invoke, MessageFlags.None, seq, (ushort)Serializer.Id, _buffer.WrittenMemory), blocking, token).ConfigureAwait(false);
        var reply = blocking ? _reader!.Read(ResultReply) : await _reader!.ReadAsync(ResultReply, token).ConfigureAwait(false);
        var value = Serializer.Deserialize(reply.GetSerializedData(_security.MaxMessageSize).Span);
        if (reply.Has(MessageFlags.Exception)) throw PyroExceptionMapping.FromWireValue(value);
        return value;
    }

    private async ValueTask<PyroUri> ResolveAsync(bool blocking, CancellationToken token)
    {
        if (Uri.Protocol == PyroUriProtocol.Pyro) return Uri;
        // PYRONAME / PYROMETA: locate the name server (the URI's location, or NS_HOST / broadcast) and ask it, on every
        // (re)connect, as Python's proxy does. Failures are NamingExceptions. A blocking caller asks with blocking calls.
        var options = _options with { Timeout = Timeout };
        return blocking
            ? Naming.NameServerLocator.Resolve(Uri, options)
            : await Naming.NameServerLocator.ResolveAsync(Uri, options, token).ConfigureAwait(false);
    }

    private async ValueTask SendAsync(PyroMessage message, bool blocking, CancellationToken token)
    {
        // One reusable frame buffer: calls on a proxy are sent one at a time (under _gate).
        _frame.ResetWrittenCount();
        WriteFrame(message);
        if (blocking)
        {
            _oneways.Flush(_stream!);
            _stream!.Write(_frame.WrittenSpan);
            return;
        }
        await _oneways.FlushAsync(_stream!, token).ConfigureAwait(false);
        await _stream!.WriteAsync(_frame.WrittenMemory, token).ConfigureAwait(false);
    }


    /// <summary>Don't keep a bulk call's buffers alive on an idle proxy (called under the gate, after a call).</summary>
    private void TrimBuffers()
    {
        _frame.Trim();
        _buffer.Trim();
    }


    /// <summary>The token of one call: the caller's, plus the proxy timeout when there is one (no allocation otherwise).</summary>
    private TimeoutScope StartTimeout(CancellationToken cancellationToken)
    {
        if (Timeout <= TimeSpan.Zero || Timeout == System.Threading.Timeout.InfiniteTimeSpan) return new TimeoutScope(null, cancellationToken);
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        return new TimeoutScope(cts, cts.Token);
    }

    private readonly struct TimeoutScope(CancellationTokenSource? source, CancellationToken token) : IDisposable
    {
        public CancellationToken Token { get; } = token;

        public void Dispose() => source?.Dispose();
    }

    private static bool IsConnectionFailure(Exception e)
        => e is CommunicationException or IOException or SocketException or OperationCanceledException or ObjectDisposedException;

    /// <summary>
    /// What a failed call throws: for a connection failure the connection is closed and Pyro's exception made
    /// (see <see cref="Fail"/>); anything else (a remote exception, a refused member) as it is. Recorded on the activity.
    /// </summary>
    private Exception Failed(Exception e, System.Diagnostics.Activity? activity, CancellationToken userToken, Stream? connection = null)
    {
        var failure = IsConnectionFailure(e) ? Fail(e, userToken, connection) : e;
        PyroTelemetry.Fail(activity, failure);
        PyroMetrics.ClientFailed(ResolvedUri?.Object, failure);
        return failure;
    }

    /// <summary>Closes the connection after a failed call and turns the failure into Pyro's exception.</summary>
    private Exception Fail(Exception e, CancellationToken userToken, Stream? connection = null)
    {
        // A pipelined call failing late closes only its own connection, never one made since.
        if (connection is null) CloseConnection();
        else if (Interlocked.CompareExchange(ref _stream, null, connection) == connection) CloseStream(connection);
        return e switch
        {
            OperationCanceledException when userToken.IsCancellationRequested => e,
            OperationCanceledException => new PyroTimeoutException("receiving: timeout"),
            CommunicationException => e,
            _ when IsSocketTimeout(e) => new PyroTimeoutException("receiving: timeout", e),
            _ => new ConnectionClosedException("receiving: connection lost: " + e.Message, e),
        };
    }

    private void CloseConnection()
    {
        var stream = Interlocked.Exchange(ref _stream, null);
        if (stream is not null) CloseStream(stream);
    }

    private void CloseStream(Stream stream)
    {
        if (!ReferenceEquals(stream, _connectedStream))
        {
            stream.Dispose();
            PyroMetrics.ClientConnectionClosed();
        }
        // Pipelined calls still waiting on this connection will get no reply.
        _replies.FailAll(new ConnectionClosedException("receiving: connection lost"));
    }

    /// <summary>
    /// Closes the connection (Python's <c>_pyroRelease</c>). The proxy stays usable: the next call reconnects.
    /// </summary>
    public void Release()
    {
        _gate.Enter();
        try
        {
            // Oneway calls made just before are sent first, as they would have been without coalescing.
            if (_stream is { } stream) _oneways.Flush(stream);
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            // Lost with the connection, as any oneway send can be.
        }
        finally
        {
            CloseConnection();
            _gate.Exit();
        }
    }

    /// <summary>Releases the connection; the proxy cannot be used afterwards.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // Oneway calls made just before are still sent.
        if (_gate.Enter(TimeSpan.FromSeconds(1)))
        {
            try
            {
                if (_stream is { } stream) _oneways.Flush(stream);
            }
            catch (Exception e) when (IsConnectionFailure(e))
            {
                // Lost with the connection, as any oneway send can be.
            }
            finally
            {
                _gate.Exit();
            }
        }
        CloseConnection();
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override string ToString() => $"<PyroProxy {Uri}; connected {IsConnected}>";
}

using System.Buffers;
using System.Collections;
using System.Net;
using System.Net.Sockets;
using TypedPyro.Protocol;
using TypedPyro.Serialization;

namespace TypedPyro;

/// <summary>
/// Serves one client connection: the CONNECT handshake, then INVOKE and PING messages one at a time, answered in
/// order. Any protocol violation closes the connection (with a CONNECTFAIL during the handshake, as Python does);
/// nothing a client sends can take the daemon down.
/// </summary>
internal sealed partial class DaemonConnection : IDisposable
{
    private static readonly uint ConnectOnly = MessageCodec.Accept(MessageType.Connect);
    private static readonly uint InvokeOrPing = MessageCodec.Accept(MessageType.Invoke, MessageType.Ping);
    private static readonly ReadOnlyMemory<byte> Pong = "pong"u8.ToArray();

    private readonly PyroDaemon _daemon;
    private readonly Socket? _socket;
    private readonly Stream _stream;
    private readonly MessageReader _reader;
    // Reused per call: a connection serves one call at a time and sends its reply before reading the next request.
    private readonly byte[] _correlation = new byte[16];
    private readonly List<Annotation> _replyAnnotations = new(2);
    private PyroCallContext? _context;
    private PyroInvocation? _lastInvocation; // see ResolveCached
    private readonly PooledBufferWriter _payload = new(256);
    private readonly PooledBufferWriter _frame = new(512);
    // The positional arguments of the call being served, read without a tuple or boxed numbers, and the head of the
    // last call (serpent).
    private readonly CallArguments _arguments = new();
    // What the last call found, kept because a connection's calls mostly repeat it: the serializer it was accepted
    // with, its object (until the daemon unregisters anything), and the method that passed the name checks.
    private ushort _acceptedSerializerId = ushort.MaxValue;
    private string? _lastObjectId;
    private IPyroDispatcher? _lastTarget;
    private int _lastUnregistrations;
    private string? _lastMethod;
    private IPyroDispatcher? _lastMethodTarget;

    public DaemonConnection(PyroDaemon daemon, Socket socket)
        : this(daemon, new NetworkStream(socket, ownsSocket: true), socket, RemoteOf(socket), handshake: true)
    {
    }

    /// <summary>Serves an already-connected stream; <paramref name="handshake"/> false skips CONNECT (Pyro's connected_socket).</summary>
    public DaemonConnection(PyroDaemon daemon, Stream stream, Socket? socket, EndPoint? remote, bool handshake)
    {
        _daemon = daemon;
        _socket = socket;
        _stream = stream;
        _handshake = handshake;
        Client = new PyroClientConnection(remote);
        // Requests are handled one at a time, each before the next is read: one message object serves them all.
        _reader = new MessageReader(stream, daemon.Security, refillOneMessage: true);
    }

    private readonly bool _handshake;

    private static EndPoint? RemoteOf(Socket socket)
    {
        try { return socket.RemoteEndPoint; } catch (SocketException) { return null; }
    }

    public PyroClientConnection Client { get; }

    private MessageSecurity Security => _daemon.Security;

    public async Task RunAsync()
    {
        DaemonLog.ClientConnected(_daemon.Logger, Client);
        try
        {
            // The first header's version decides, once, whether this connection speaks Pyro4 or Pyro5 (DaemonConnection.Pyro5.cs).
            if (_handshake && !await DetectProtocolAsync().ConfigureAwait(false)) return;
            if (_handshake && !await HandshakeAsync().ConfigureAwait(false)) return;
            // The connection's calls share one context, made current here once: an AsyncLocal set inside the
            // per-call method would be undone when it returns, and setting one allocates.
            _context = new PyroCallContext(Client, 0, MessageFlags.None, Client.Serializer, [], null) { CancellationToken = _daemon.ShutdownToken };
            PyroCallContext.Current = _context;
            // ReadToken, not ShutdownToken: a graceful shutdown lets the call being served reply, then ends the loop.
            while (!_daemon.ReadToken.IsCancellationRequested)
            {
                PyroMessage request;
                try
                {
                    // A message already whole in the buffer is taken without an async read (coalesced oneway calls).
                    if (!_reader.TryReadBuffered(InvokeOrPing, out request)) request = await ReadAsync(InvokeOrPing).ConfigureAwait(false);
                }
                catch (ConnectionClosedException)
                {
                    return;
                }
                catch (Exception e) when (e is PyroException or IOException)
                {
                    // Bad header, wrong type, oversize, HMAC trouble: Python drops the connection without a reply.
                    DaemonLog.ProtocolViolation(_daemon.Logger, Client, e.Message);
                    return;
                }
                var handled = HandleRequestAsync(request);
                if (!(handled.IsCompletedSuccessfully ? handled.Result : await handled.ConfigureAwait(false))) return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away mid-write, or the daemon is shutting down.
        }
        catch (Exception e)
        {
            DaemonLog.Unexpected(_daemon.Logger, Client, e);
        }
        finally
        {
            DaemonLog.ClientDisconnected(_daemon.Logger, Client);
        }
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<PyroMessage> ReadAsync(uint accepted)
    {
        var timeout = _daemon.Config.CommTimeout;
        if (timeout <= TimeSpan.Zero) return await _reader.ReadAsync(accepted, _daemon.ReadToken).ConfigureAwait(false);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_daemon.ReadToken);
        cts.CancelAfter(timeout);
        try
        {
            return await _reader.ReadAsync(accepted, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_daemon.ReadToken.IsCancellationRequested)
        {
            // Server-side COMMTIMEOUT: an idle client is disconnected, as Python's thread pool server does.
            throw new ConnectionClosedException("receiving: timeout");
        }
    }

    /// <summary>Python's <c>Daemon._handshake</c>. Returns true when the connection may go on.</summary>
    private async ValueTask<bool> HandshakeAsync()
    {
        ushort replySerializer = (ushort)SerializerId.Marshal;
        ushort sequence = 0;
        Guid? correlation = null;
        MessageType replyType;
        MessageFlags replyFlags = MessageFlags.None;
        object? replyValue;
        try
        {
            var request = await ReadAsync(ConnectOnly).ConfigureAwait(false);
            sequence = request.Sequence;
            if (_daemon.IsThreadPoolServer && _daemon.ConnectionCount > _daemon.Config.ThreadPoolSize)
            {
                DaemonLog.NoFreeWorkers(_daemon.Logger, Client, _daemon.Config.ThreadPoolSize);
                throw new PyroException("no free workers, increase server threadpool size");
            }
            // Pyro5 drops a connection whose serializer it does not know, without a reply.
            if (_pyro5 && FindSerializer(request.SerializerId) is null) return RefusePyro5Serializer(request.SerializerId);
            if (_pyro5) CheckPyro5Allowed();
            var serializer = AcceptedSerializer(request.SerializerId)
                ?? throw new SerializeException($"message used serializer that is not accepted: {request.SerializerId}");
            correlation = request.CorrelationId ?? Guid.NewGuid();
            replySerializer = request.SerializerId;
            Client.Serializer = serializer.Id;
            var data = serializer.Deserialize(request.GetSerializedData(Security.MaxMessageSize).Span) as IDictionary
                ?? throw new ProtocolException("invalid handshake data");
            var response = _daemon.ValidateHandshake(Client, data.Contains("handshake") ? data["handshake"] : null);
            Client.HandshakeResponse = response;
            // Pyro5 always sends the metadata (as sets: its serializers make lists of them where they must).
            if (request.Has(MessageFlags.MetaOnConnect) || _pyro5)
            {
                string objectId = data.Contains("object") && data["object"] is string id ? id : throw new DaemonException("unknown object");
                replyValue = new Dictionary<object, object?> { ["handshake"] = response, ["meta"] = _daemon.GetMetadata(objectId, _pyro5).ToWireValue(asLists: !_pyro5) };
                replyFlags = MessageFlags.MetaOnConnect;
            }
            else
            {
                replyValue = response;
            }
            replyType = MessageType.ConnectOk;
        }
        catch (ConnectionClosedException)
        {
            return false;
        }
        catch (MessageTooLargeException e) when (!_pyro5)
        {
            DaemonLog.ProtocolViolation(_daemon.Logger, Client, e.Message);
            return false;
        }
        catch (Exception e) when (e is not (IOException or SocketException or OperationCanceledException or ObjectDisposedException))
        {
            DaemonLog.HandshakeRefused(_daemon.Logger, Client, e.Message);
            replyType = MessageType.ConnectFail;
            replyValue = e.Message;
        }

        var replySerializerImpl = FindSerializer(replySerializer) ?? FindSerializer((ushort)SerializerId.Marshal)!;
        _payload.ResetWrittenCount();
        try
        {
            replySerializerImpl.Serialize(_payload, replyValue);
        }
        catch (SerializeException e)
        {
            // The validator returned something the client's serializer cannot carry: refuse instead.
            replyType = MessageType.ConnectFail;
            replyFlags = MessageFlags.None;
            _payload.ResetWrittenCount();
            replySerializerImpl.Serialize(_payload, "handshake response cannot be serialized: " + e.Message);
        }
        var annotations = correlation is { } id2 ? new[] { new Annotation(Annotation.Correlation, CorrelationId.ToBytes(id2)) } : null;
        await SendAsync(replyType, replyFlags, sequence, replySerializer, annotations).ConfigureAwait(false);
        return replyType == MessageType.ConnectOk;
    }

    /// <summary>
    /// Whether calls with serializer <paramref name="id"/> are accepted. A connection keeps to one serializer, so the
    /// configured set (a string lookup) is consulted only when the id changes; Python fixes the set once, when the
    /// daemon starts.
    /// </summary>
    private bool IsAccepted(ushort id)
    {
        if (id == _acceptedSerializerId) return true;
        if (AcceptedSerializer(id) is null) return false;
        _acceptedSerializerId = id;
        return true;
    }

    private PyroSerializer? AcceptedSerializer(ushort id)
    {
        var serializer = FindSerializer(id);
        return serializer is not null && _daemon.Config.SerializersAccepted.Contains(serializer.Name) ? serializer : null;
    }

    /// <summary>
    /// Python's <c>Daemon.handleRequest</c>. Returns false when the connection must close. The call is decoded and
    /// started here, synchronously; a oneway call whose method completed at once is done without an async state
    /// machine, and everything else (replies, batches, awaiting the method) goes on in <see cref="CompleteCallAsync"/>.
    /// </summary>
    private ValueTask<bool> HandleRequestAsync(PyroMessage request)
    {
        // The request points into the reader's buffer; annotations (rare) are copied so that server code may keep them.
        if (request.Annotations.Count > 0) request = MessageReader.Detach(request);
        PyroMetrics.ServerRequest(request);
        if (request.Type == MessageType.Ping) return PongAsync(request);

        bool oneway = request.Has(MessageFlags.Oneway);
        var serializer = FindSerializer(request.SerializerId);
        if (serializer is null) return RefuseSerializerAsync(request, oneway);

        bool onewayThreaded = oneway && _daemon.Config.OnewayThreaded;
        var correlation = request.CorrelationId;
        var context = onewayThreaded
            // A oneway call may still run when the next request arrives: it gets a context of its own.
            ? new PyroCallContext(Client, request.Sequence, request.Flags, serializer.Id, request.Annotations, correlation) { CancellationToken = _daemon.ShutdownToken }
            : _context!;
        context.Begin(request.Sequence, request.Flags, serializer.Id, request.Annotations, correlation);
        var call = new ServedCall(request, serializer, context, accepted: IsAccepted(request.SerializerId))
        {
            // A bulk call's bytes arguments may stay in the receive buffer while the call runs (BorrowedBytes). Not
            // for a threaded oneway call: it runs on while the next request is read into the same buffer.
            Borrow = request.Payload.Length >= BorrowedBytes.Threshold && !onewayThreaded,
        };
        ValueTask<object?> pending;
        try
        {
            if (!call.Accepted) throw new SerializeException($"message used serializer that is not accepted: {request.SerializerId}");
            var decoded = request.Has(MessageFlags.KeepSerialized)
                ? BlobCall(request)
                // A threaded oneway call's arguments live on after this connection reads the next call.
                : serializer.DeserializeCall(request.GetSerializedData(Security.MaxMessageSize), call.Borrow, _arguments, argumentsOutliveCall: onewayThreaded);
            call.Decoded = decoded;
            call.Activity = PyroTelemetry.StartCall(System.Diagnostics.ActivityKind.Server, decoded.ObjectId, decoded.Method, context);
            PyroMetrics.ServerCall(decoded.ObjectId, decoded.Method, oneway);
            call.Started = PyroMetrics.ServerStart();
            if (!TryGetTarget(decoded.ObjectId, out var target)) throw new DaemonException("unknown object");
            if (request.Has(MessageFlags.Batch)) return CompleteBatchAsync(call, target);
            bool attribute = decoded.Method is "__getattr__" or "__setattr__";
            if (onewayThreaded && !attribute)
            {
                // ONEWAY_THREADED: the connection carries on at once while the method runs.
                StartOneway(target, ResolveCached(target, decoded, context));
                call.Activity?.Dispose();
                return new ValueTask<bool>(true);
            }
            pending = attribute
                ? AccessAttributeAsync(target, decoded, context)
                // A method call goes straight to the dispatcher, without a state machine of its own.
                : target.InvokeAsync(ResolveCached(target, decoded, context));
        }
        catch (Exception e)
        {
            pending = ValueTask.FromException<object?>(e);
        }
        if (oneway && pending.IsCompleted)
        {
            // Oneway calls never report errors; the method's own result is dropped.
            Exception? error = null;
            object? result = null;
            try
            {
                result = pending.GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                error = e;
            }
            Finish(call, error, result);
            return new ValueTask<bool>(true);
        }
        return CompleteCallAsync(call, pending);
    }

    /// <summary>What one served call carries from its decoding to its reply (a struct: nothing allocated per call).</summary>
    private struct ServedCall(PyroMessage request, PyroSerializer serializer, PyroCallContext context, bool accepted)
    {
        public readonly PyroMessage Request = request;
        public readonly PyroSerializer Serializer = serializer;
        public readonly PyroCallContext Context = context;
        /// <summary>False: the serializer is known but not accepted; the error reply then ends the connection.</summary>
        public readonly bool Accepted = accepted;
        public bool Borrow;
        public PyroCall? Decoded;
        public System.Diagnostics.Activity? Activity;
        public long Started; // PyroMetrics.ServerStart, 0 when durations are not measured

        public readonly bool Oneway => Request.Has(MessageFlags.Oneway);
    }

    /// <summary>Ends a call: its failure is traced and logged, its trace closed and its borrowed buffers given back.</summary>
    private void Finish(in ServedCall call, Exception? error, object? result)
    {
        if (error is not null)
        {
            PyroTelemetry.Fail(call.Activity, error);
            DaemonLog.CallFailed(_daemon.Logger, call.Decoded?.Method ?? "?", error.Message);
        }
        call.Activity?.Dispose();
        if (call.Decoded is { } decoded) PyroMetrics.ServerCallEnded(call.Started, decoded.ObjectId, decoded.Method, error);
        if (call.Borrow && call.Decoded is not null) ReleaseBorrowed(call.Decoded.Args, result);
        // Don't keep the last call's argument values alive while the connection waits.
        _arguments.Clear();
    }

    /// <summary>Awaits the method, then sends its result (or its exception) unless the call is oneway.</summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> CompleteCallAsync(ServedCall call, ValueTask<object?> pending)
    {
        var serializer = call.Serializer;
        var request = call.Request;
        Exception? error = null;
        object? result = null;
        try
        {
            result = await pending.ConfigureAwait(false);
            if (call.Oneway) return true;
            if (StreamRegistry.IsStream(result))
            {
                await SendStreamResultAsync(result!, request.Sequence, serializer).ConfigureAwait(false);
                return true;
            }
            // AUTOPROXY: a registered object (or a proxy) returned by a method travels as a proxy to it.
            if (_daemon.Config.AutoProxy && result is not null && (result is IPyroProxy || PyroCallbacks.UriOf(result) is not null))
                result = PyroCallbacks.ToWireValue(result);
            _payload.ResetWrittenCount();
            serializer.Serialize(_payload, result);
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            Finish(call, error, result);
        }

        if (call.Oneway) return true; // Oneway calls never report errors.
        if (error is not null)
        {
            await SendExceptionAsync(error, request.Sequence, serializer).ConfigureAwait(false);
            // An unaccepted serializer ends the connection after the error reply, as in Python.
            return call.Accepted;
        }
        var context = call.Context;
        _replyAnnotations.Clear();
        if (context.HasResponseAnnotations)
        {
            foreach (var (key, value) in context.ResponseAnnotations) _replyAnnotations.Add(new Annotation(key, value));
        }
        _replyAnnotations.Add(CorrelationAnnotation(context.CorrelationId));
        await SendAsync(MessageType.Result, MessageFlags.None, request.Sequence, request.SerializerId, _replyAnnotations).ConfigureAwait(false);
        return true;
    }

    /// <summary>A batch call: the listed calls run in order and one reply carries all their results.</summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> CompleteBatchAsync(ServedCall call, IPyroDispatcher target)
    {
        var request = call.Request;
        List<object?> results;
        try
        {
            results = await InvokeBatchAsync(target, call.Decoded!, call.Context).ConfigureAwait(false);
            if (call.Oneway) return true;
            _payload.ResetWrittenCount();
            call.Serializer.Serialize(_payload, results);
        }
        catch (Exception e)
        {
            Finish(call, e, result: null);
            if (call.Oneway) return true;
            await SendExceptionAsync(e, request.Sequence, call.Serializer).ConfigureAwait(false);
            return true;
        }
        Finish(call, error: null, result: null);
        await SendAsync(MessageType.Result, MessageFlags.Batch, request.Sequence, request.SerializerId, [CorrelationAnnotation(call.Context.CorrelationId)]).ConfigureAwait(false);
        return true;
    }

    /// <summary>A PING is answered with the same seq and serializer id; its payload is never deserialized.</summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> PongAsync(PyroMessage request)
    {
        await SendRawAsync(MessageType.Ping, MessageFlags.None, request.Sequence, request.SerializerId, Pong, [CorrelationAnnotation(request.CorrelationId ?? CorrelationId.NewRandom())]).ConfigureAwait(false);
        return true;
    }

    /// <summary>A call with a serializer id this daemon does not know.</summary>
    private async ValueTask<bool> RefuseSerializerAsync(PyroMessage request, bool oneway)
    {
        if (request.SerializerId == (ushort)SerializerId.Pickle && !oneway)
        {
            // Python answers a pickle call with a pickled SerializeError, then closes. We can write that one pickle.
            const string refusal = "message used serializer that is not accepted: 4";
            var pickle = PickleErrorReply.Create("SerializeError", refusal, "Traceback (most recent call last):\n  (TypedPyro daemon refused the pickle serializer)\nSerializeError: " + refusal + "\n");
            await SendRawAsync(MessageType.Result, MessageFlags.Exception, request.Sequence, request.SerializerId, pickle, null).ConfigureAwait(false);
            return false;
        }
        // Python cannot even serialize an error for an unknown serializer id: it drops the connection.
        DaemonLog.ProtocolViolation(_daemon.Logger, Client, $"unknown serializer id {request.SerializerId}");
        return false;
    }

    /// <summary>The reply's CORR annotation (its bytes are reused: the reply is sent before the next request is read).</summary>
    private Annotation CorrelationAnnotation(Guid correlation)
    {
        correlation.TryWriteBytes(_correlation, bigEndian: true, out _);
        return new Annotation(Annotation.Correlation, _correlation);
    }

    /// <summary>
    /// After a call with borrowed arguments: gives back their decode buffers, unless the result is a stream, which
    /// may read them later (a lazy iterator over a view); then the receive buffer is left to the stream as well.
    /// </summary>
    private void ReleaseBorrowed(IReadOnlyList<object?> args, object? result)
    {
        bool keep = StreamRegistry.IsStream(result);
        if (BorrowedBytes.ReleaseAll(args, abandon: keep) && keep) _reader.GiveUpBuffer();
    }

    /// <summary>
    /// A KEEPSERIALIZED call: object and method come from the BLBI annotation, and the one argument is the payload,
    /// kept serialized in a <see cref="SerializedBlob"/>.
    /// </summary>
    private static PyroCall BlobCall(PyroMessage request)
    {
        if (!request.TryGetAnnotation(Annotation.BlobInfo, out var blobInfo)) throw new ProtocolException("KEEPSERIALIZED call without BLBI annotation");
        var (info, objectId, method) = ((MarshalSerializer)PyroSerializers.Marshal).DeserializeBlobInfo(blobInfo.Span);
        var blob = new SerializedBlob(info, request.Payload.ToArray(), request.SerializerId, request.Has(MessageFlags.Compressed));
        return new PyroCall(objectId, method, new PyTuple(blob), new Dictionary<string, object?>());
    }

    private static PyroInvocation Resolve(IPyroDispatcher target, PyroCall call, PyroCallContext context)
    {
        CheckMethod(target, call.Method);
        return Invocation(target, call, context);
    }

    /// <summary>The call as its dispatcher gets it: arguments of its own unless it reads them in place.</summary>
    private static PyroInvocation Invocation(IPyroDispatcher target, PyroCall call, PyroCallContext context)
        => new(call.Method, target.AcceptsBufferViews ? call.Args : BorrowedBytes.ToObjectModel(call.Args), call.Kwargs, context);

    /// <summary>Only exposed, non-private methods are called (Python's errors otherwise).</summary>
    private static void CheckMethod(IPyroDispatcher target, string method)
    {
        if (PyroNames.IsPrivate(method)) throw new MissingMemberException($"attempt to access private attribute '{method}'");
        if (!target.Metadata.Methods.Contains(method)) throw new MissingMemberException($"'{target.TypeName}' object has no attribute '{method}'");
    }

    /// <summary>
    /// The registered object <paramref name="objectId"/> names. A connection usually calls one object, and its id
    /// arrives as the same string each time (<see cref="CallNameCache"/>), so the last one found is kept until the
    /// daemon unregisters anything.
    /// </summary>
    private bool TryGetTarget(string objectId, out IPyroDispatcher target)
    {
        int unregistrations = _daemon.Unregistrations;
        if ((object)objectId == _lastObjectId && unregistrations == _lastUnregistrations)
        {
            target = _lastTarget!;
            return true;
        }
        if (!_daemon.TryGetObject(objectId, _pyro5, out target)) return false;
        (_lastObjectId, _lastTarget, _lastUnregistrations) = (objectId, target, unregistrations);
        return true;
    }

    /// <summary>
    /// <see cref="Resolve"/>, skipping the name checks when the same method of the same object passed them on the
    /// previous call (a dispatcher's metadata does not change).
    /// </summary>
    private PyroInvocation ResolveCached(IPyroDispatcher target, PyroCall call, PyroCallContext context)
    {
        if ((object)call.Method != _lastMethod || target != _lastMethodTarget)
        {
            CheckMethod(target, call.Method);
            (_lastMethod, _lastMethodTarget) = (call.Method, target);
        }
        // Arguments read in place into the connection's list, the connection's own context: the same parts as the
        // previous invocation of this method, so that immutable record serves again instead of a new one.
        if (_lastInvocation is { } last && (object)last.Method == call.Method && ReferenceEquals(last.Args, call.Args)
            && ReferenceEquals(last.Kwargs, call.Kwargs) && ReferenceEquals(last.Context, context) && target.AcceptsBufferViews)
            return last;
        var invocation = Invocation(target, call, context);
        if (invocation.Args is CallArguments) _lastInvocation = invocation; // only such an invocation can serve again
        return invocation;
    }

    private static async ValueTask<object?> AccessAttributeAsync(IPyroDispatcher target, PyroCall call, PyroCallContext context)
    {
        switch (call.Method)
        {
            case "__getattr__":
            {
                string name = AttributeName(call, 1, target);
                return await target.GetAttributeAsync(name, context).ConfigureAwait(false);
            }
            case "__setattr__":
            {
                string name = AttributeName(call, 2, target);
                await target.SetAttributeAsync(name, PyroConvert.ToObject(call.Args[1]), context).ConfigureAwait(false);
                return null;
            }
            default:
                throw new InvalidOperationException("not an attribute access: " + call.Method);
        }
    }

    /// <summary>
    /// Pyro's <c>&lt;batch&gt;</c> call: the listed calls run in order on the one target; the first exception is
    /// appended wrapped as <c>Pyro4.futures._ExceptionWrapper</c> and ends the batch. Iterator results are not
    /// streamed in a batch, and attribute access is not available (as in Python).
    /// </summary>
    private static async ValueTask<List<object?>> InvokeBatchAsync(IPyroDispatcher target, PyroCall call, PyroCallContext context)
    {
        var results = new List<object?>(call.Args.Count);
        var decoded = call.Args as BatchCalls; // entries the serializer already read as calls (serpent)
        for (int i = 0; i < call.Args.Count; i++)
        {
            var single = decoded is not null ? decoded.Calls[i] : call.Args[i] switch
            {
                IReadOnlyList<object?> { Count: 3 } p => PyroSerializer.ToCallParts(call.ObjectId, p[0], p[1], p[2]),
                _ => throw new SerializeException("invalid batch entry: expected (method, vargs, kwargs)"),
            };
            // Resolving happens outside the try, as in Python: a private or unknown name fails the whole request.
            var invocation = Resolve(target, single, context);
            try
            {
                var result = await target.InvokeAsync(invocation).ConfigureAwait(false);
                results.Add(StreamRegistry.IsStream(result) ? await MaterializeAsync(result!).ConfigureAwait(false) : result);
            }
            catch (Exception e)
            {
                results.Add(new Dictionary<object, object?>
                {
                    ["__class__"] = "Pyro4.futures._ExceptionWrapper",
                    ["exception"] = PyroExceptionMapping.ToWireValue(e),
                });
                break;
            }
        }
        return results;
    }

    private static async ValueTask<List<object?>> MaterializeAsync(object stream)
    {
        var items = new List<object?>();
        if (stream is IAsyncEnumerable<object?> asyncItems)
        {
            await foreach (var item in asyncItems.ConfigureAwait(false)) items.Add(item);
        }
        else
        {
            foreach (var item in (System.Collections.IEnumerable)stream) items.Add(item);
        }
        return items;
    }

    private static string AttributeName(PyroCall call, int expectedArgs, IPyroDispatcher target)
    {
        if (call.Args.Count != expectedArgs || call.Args[0] is not string name)
            throw new ArgumentTypeException($"{call.Method} expects {expectedArgs} argument(s), the first a str");
        if (!target.Metadata.Attributes.Contains(name))
            throw new MissingMemberException($"attempt to access unexposed or unknown remote attribute '{name}'");
        return name;
    }

    /// <summary>
    /// Python starts a thread per oneway call; a thread-pool work item does the same job far cheaper (a new thread per
    /// call costs ~40x the oneway throughput, and a work item did 1.0-1.2M calls/s where <c>Task.Run</c> did 0.67M).
    /// Each call still runs on its own, concurrently with the connection and with other oneway calls. Oneway methods
    /// that block for long should be async.
    /// </summary>
    private void StartOneway(IPyroDispatcher target, PyroInvocation invocation)
        // The execution context flows as with Task.Run (the call's Activity stays the parent of what the method traces).
        => ThreadPool.QueueUserWorkItem(static call => _ = call.Connection.RunOnewayAsync(call.Target, call.Invocation), (Connection: this, Target: target, Invocation: invocation), preferLocal: false);

    private async Task RunOnewayAsync(IPyroDispatcher target, PyroInvocation invocation)
    {
        PyroCallContext.Current = invocation.Context;
        try
        {
            await target.InvokeAsync(invocation).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            DaemonLog.OnewayFailed(_daemon.Logger, invocation.Method, e);
        }
    }

    /// <summary>
    /// The reply to a call that returned an iterator: Pyro's ProtocolError pseudo-exception (so clients without
    /// streaming fail cleanly) flagged ITEMSTREAMRESULT, with the stream id in STRM when streaming is enabled.
    /// </summary>
    private async ValueTask SendStreamResultAsync(object result, ushort sequence, PyroSerializer serializer)
    {
        Annotation[]? annotations = null;
        if (_daemon.Config.IterStreaming)
        {
            string id = _daemon.Streams.Add(result, Client);
            annotations = [new Annotation(Annotation.Stream, System.Text.Encoding.ASCII.GetBytes(id))];
        }
        _payload.ResetWrittenCount();
        serializer.Serialize(_payload, new Dictionary<object, object?>
        {
            ["__class__"] = "Pyro4.errors.ProtocolError",
            ["__exception__"] = true,
            ["args"] = new PyTuple("result of call is an iterator"),
            ["attributes"] = new Dictionary<object, object?> { [PyroExceptionMapping.TracebackAttribute] = null },
        });
        await SendAsync(MessageType.Result, MessageFlags.Exception | MessageFlags.ItemStreamResult, sequence, (ushort)serializer.Id, annotations).ConfigureAwait(false);
    }

    private async ValueTask SendExceptionAsync(Exception exception, ushort sequence, PyroSerializer serializer)
    {
        _payload.ResetWrittenCount();
        try
        {
            serializer.Serialize(_payload, PyroExceptionMapping.ToWireValue(exception));
        }
        catch (SerializeException e)
        {
            _payload.ResetWrittenCount();
            var fallback = new PyroException($"Error serializing exception: {e.Message}. Original exception: {exception.GetType().FullName}: {exception.Message}");
            serializer.Serialize(_payload, PyroExceptionMapping.ToWireValue(fallback));
        }
        // Exception replies carry no CORR and no response annotations (as Python's).
        await SendAsync(MessageType.Result, MessageFlags.Exception, sequence, (ushort)serializer.Id, null).ConfigureAwait(false);
    }

    private ValueTask SendAsync(MessageType type, MessageFlags flags, ushort sequence, ushort serializerId, IReadOnlyList<Annotation>? annotations)
    {
        ReadOnlyMemory<byte> payload = _payload.WrittenMemory;
        if (_daemon.Config.Compression && PayloadCompression.TryCompress(payload.Span) is { } compressed)
        {
            payload = compressed;
            flags |= MessageFlags.Compressed;
        }
        return SendRawAsync(type, flags, sequence, serializerId, payload, annotations);
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendRawAsync(MessageType type, MessageFlags flags, ushort sequence, ushort serializerId, ReadOnlyMemory<byte> payload, IReadOnlyList<Annotation>? annotations)
    {
        _frame.ResetWrittenCount();
        bool separate = WriteFrameForSending(type, flags, sequence, serializerId, payload.Span, annotations ?? []);
        await _stream.WriteAsync(_frame.WrittenMemory, _daemon.ShutdownToken).ConfigureAwait(false);
        if (separate) await _stream.WriteAsync(payload, _daemon.ShutdownToken).ConfigureAwait(false);
        PyroMetrics.ServerBytesWritten(_frame.WrittenCount + (separate ? payload.Length : 0));
        // Don't keep a huge buffer alive on an idle connection after one bulk call.
        _frame.Trim();
        _payload.Trim();
    }

    public void Abort()
    {
        try { _socket?.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        _stream.Dispose();
    }

    public void Dispose() => _stream.Dispose();
}

using System.Collections;
using System.Net.Sockets;
using System.Text.Json;
using TypedPyro.Cli.Commands;
using TypedPyro.Protocol;
using TypedPyro.Serialization;
using TypedPyro.Tests.Support;

namespace TypedPyro.Interop.Tests;

/// <summary>
/// The hand-made byte sequences of the <c>probe_*</c> vectors, which were sent to Python's echo server, replayed at
/// the .NET daemon serving the .NET echo server: every reply must match Python's (type, flags, seq, serializer,
/// annotation keys, decoded payload), the connection must be left open or closed as Python left it, and the daemon
/// must still serve afterwards.
/// </summary>
public sealed class ProbeReplayTests
{
    public static TheoryData<string> Probes() => Vector.Theory("probe_", kind: "raw_exchange");

    [Theory]
    [MemberData(nameof(Probes))]
    public async Task Dotnet_daemon_answers_as_python_does(string name)
    {
        var vector = Vector.Load(name);
        var config = PyroConfig.Default.With(c => { c.MaxMessageSize = name == "probe_max_message_size" ? 1000 : 0; });
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });
        var echo = new EchoServerObject(verbose: false, TextWriter.Null);
        daemon.Register(echo.CreateDispatcher(), EchoCommand.ObjectName);
        daemon.Start();

        using (var socket = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(daemon.BoundEndPoint!);
            var stream = new NetworkStream(socket);
            int step = 0;
            foreach (var exchange in vector.Decoded.GetProperty("exchanges").EnumerateArray())
            {
                step++;
                var sent = Convert.FromHexString(exchange.GetProperty("sent_hex").GetString()!);
                if (sent.Length > 0) await stream.WriteAsync(sent);
                foreach (var expected in exchange.GetProperty("received_messages").EnumerateArray())
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    var actual = await MessageCodec.ReadAsync(stream, MessageCodec.AnyType, MessageSecurity.None, timeout.Token);
                    AssertSameMessage(expected, actual, $"{name} exchange {step}");
                }
                string state = exchange.GetProperty("connection_state_after").GetString()!;
                await AssertConnectionState(socket, state, $"{name} exchange {step}");
                if (state == "closed") break;
            }
        }

        // The daemon keeps serving.
        await using var proxy = new PyroProxy(daemon.UriFor(EchoCommand.ObjectName));
        Assert.Equal("still serving", await proxy.InvokeAsync("echo", ["still serving"]));
    }

    private static void AssertSameMessage(JsonElement expected, PyroMessage actual, string where)
    {
        var h = expected.GetProperty("header");
        Assert.True(h.GetProperty("type").GetInt32() == (int)actual.Type, $"{where}: type {actual.Type}");
        Assert.True(h.GetProperty("flags").GetInt32() == (int)actual.Flags, $"{where}: flags {actual.Flags}");
        Assert.True(h.GetProperty("seq").GetInt32() == actual.Sequence, $"{where}: seq {actual.Sequence}");
        Assert.True(h.GetProperty("serializer_id").GetInt32() == actual.SerializerId, $"{where}: serializer {actual.SerializerId}");

        // CORR values are random; a CONNECTFAIL may carry a stale one in Python (the spec says not to rely on it).
        var expectedKeys = expected.GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("key").GetString()!).ToList();
        var actualKeys = actual.Annotations.Select(a => a.Key).ToList();
        if (actual.Type == MessageType.ConnectFail)
        {
            expectedKeys.Remove(Annotation.Correlation);
            actualKeys.Remove(Annotation.Correlation);
        }
        Assert.Equal(expectedKeys, actualKeys);

        if (actual.Type == MessageType.Ping) return;
        var serializer = PyroSerializers.Find(actual.SerializerId);
        if (serializer is null)
        {
            // Only the pickle reply has no decoder here; PickleReplyTests checks it with Python.
            Assert.Equal((ushort)SerializerId.Pickle, actual.SerializerId);
            return;
        }
        var actualValue = serializer.Deserialize(actual.GetSerializedData().Span);
        var expectedValue = TypedNotation.ToValue(expected.GetProperty("payload"));
        AssertSamePayload(expectedValue, actualValue, where);
    }

    private static void AssertSamePayload(object? expected, object? actual, string where)
    {
        // The vectors keep some payloads as Python's raw literal: the NaN class dict, exception dicts.
        if (expected is IDictionary nan && nan.Count == 2 && Equals(nan["__class__"], "float") && Equals(nan["value"], "nan")) expected = double.NaN;
        if (expected is IDictionary raw && raw.Contains("__exception__"))
        {
            var a = Assert.IsAssignableFrom<IDictionary>(actual);
            Assert.True(Equals(raw["__class__"], a["__class__"]), $"{where}: exception class {a["__class__"]}");
            Assert.Equal(raw["args"], a["args"], PyValueComparer.Instance);
            return;
        }
        if (expected is IDictionary e && e.Contains("$exception"))
        {
            // Typed notation of an exception: compare the class and args; tracebacks differ by nature.
            var a = Assert.IsAssignableFrom<IDictionary>(actual);
            Assert.True(Equals(e["$exception"], a["__class__"]), $"{where}: exception class {a["__class__"]}");
            Assert.Equal(e["args"], a["args"], PyValueComparer.Instance);
            return;
        }
        if (expected is IDictionary em && em.Contains("meta"))
        {
            var am = Assert.IsAssignableFrom<IDictionary>(actual);
            Assert.Equal(em["handshake"], am["handshake"]);
            var expectedMeta = PyroObjectMetadata.FromWireValue(em["meta"]);
            var actualMeta = PyroObjectMetadata.FromWireValue(am["meta"]);
            Assert.Equal(expectedMeta.Methods.Order(), actualMeta.Methods.Order());
            Assert.Equal(expectedMeta.Oneway.Order(), actualMeta.Oneway.Order());
            Assert.Equal(expectedMeta.Attributes.Order(), actualMeta.Attributes.Order());
            return;
        }
        Assert.Equal(expected, actual, PyValueComparer.Instance);
    }

    private static async Task AssertConnectionState(Socket socket, string state, string where)
    {
        var buffer = new byte[256];
        using var wait = new CancellationTokenSource(state == "closed" ? TimeSpan.FromSeconds(5) : TimeSpan.FromMilliseconds(400));
        try
        {
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, wait.Token);
            Assert.True(state == "closed" && n == 0, $"{where}: expected {state}, got {(n == 0 ? "closed" : $"{n} unexpected bytes")}");
        }
        catch (OperationCanceledException)
        {
            Assert.True(state != "closed", $"{where}: connection still open, Python closed it");
        }
        catch (SocketException)
        {
            Assert.True(state == "closed", $"{where}: connection reset, Python left it open");
        }
    }
}

using TypedPyro.Interop.Tests.Support;
using TypedPyro.Serialization;

namespace TypedPyro.Interop.Tests;

/// <summary>Pyro's msgpack serializer between .NET and Python (python3-msgpack), values and whole calls.</summary>
public sealed class MsgPackInteropTests
{
    private const string PythonRoundTrip = """
        import sys, math, Pyro4.util
        ser = Pyro4.util.MsgpackSerializer()
        values = [None, True, 0, 127, 128, -33, 2**40, -2**62, 2**64 - 1, 10**30, 1.5, "h\u00e9llo \u2603", b"\x00\x01\xff" * 100,
                  [1, [2, "x"]], {"a": 1, "b": [None, 2.5]}, complex(1, -2)]
        data = ser.dumps(values)
        sys.stdout.write(data.hex() + "\n")
        back = ser.loads(bytes.fromhex(sys.stdin.readline().strip()))
        print("same" if back == values else "different: %r" % (back,))
        """;

    [Fact]
    public async Task Python_msgpack_values_read_by_dotnet_and_written_back()
    {
        // The Python side dumps its values, reads our re-serialization of them, and compares.
        var info = new System.Diagnostics.ProcessStartInfo(PythonPeer.Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(PythonRoundTrip);
        using var python = System.Diagnostics.Process.Start(info)!;
        var fromPython = Convert.FromHexString((await python.StandardOutput.ReadLineAsync())!);
        var value = (List<object?>)PyroSerializers.MsgPack.Deserialize(fromPython)!;
        Assert.Equal(System.Numerics.BigInteger.Parse("1000000000000000000000000000000"), value[9]);
        Assert.Equal(300, ((byte[])value[12]!).Length);
        await python.StandardInput.WriteLineAsync(Convert.ToHexStringLower(PyroSerializers.MsgPack.Serialize(value)));
        python.StandardInput.Close();
        var verdict = await python.StandardOutput.ReadToEndAsync();
        await python.WaitForExitAsync();
        Assert.True(verdict.Trim() == "same", verdict + await python.StandardError.ReadToEndAsync());
    }

    [Fact]
    public async Task Python_proxy_with_msgpack_calls_a_dotnet_daemon_that_accepts_it()
    {
        var config = PyroConfig.Default.With(c => c.SerializersAccepted.Add("msgpack"));
        await using var daemon = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1", Config = config });
        var uri = daemon.Register(new PyroObjectBuilder("Bulk")
            .Method("length", call => (long)PyroConvert.ToBytes(call.Arg(0, "data")).Length)
            .Method("echo", call => call.Arg(0, "message"))
            .Build(), "bulk");
        daemon.Start();
        var output = await PythonPeer.RunScriptAsync($$"""
            import Pyro4
            Pyro4.config.SERIALIZER = "msgpack"
            p = Pyro4.Proxy('{{uri}}')
            print(p.length(b"\x00" * 1000000), p.echo([1, "two", b"3"]))
            """);
        Assert.Equal("1000000 [1, 'two', b'3']", output.Trim());

        // And the .NET proxy speaks it too.
        await using var proxy = new PyroProxy(uri, new PyroProxyOptions { Serializer = SerializerId.MsgPack });
        Assert.Equal(5_000_000L, await proxy.InvokeAsync("length", [new byte[5_000_000]]));

        // A daemon with the default SERIALIZERS_ACCEPTED refuses msgpack, as Python's does.
        await using var strict = new PyroDaemon(new PyroDaemonOptions { Host = "127.0.0.1" });
        var strictUri = strict.Register(new PyroObjectBuilder("X").Method("echo", call => call.Arg(0, "message")).Build(), "x");
        strict.Start();
        await using var refused = new PyroProxy(strictUri, new PyroProxyOptions { Serializer = SerializerId.MsgPack });
        var e = await Assert.ThrowsAsync<CommunicationException>(() => refused.InvokeAsync("echo", [1L]));
        Assert.EndsWith("message used serializer that is not accepted: 6", e.Message);
    }
}

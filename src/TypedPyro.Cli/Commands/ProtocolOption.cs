using System.CommandLine;

namespace TypedPyro.Cli.Commands;

/// <summary>The <c>--protocol 4|5</c> option of the client commands, and the one rule it brings: Pyro5 has no HMAC.</summary>
internal static class ProtocolOption
{
    public static Option<int> Create(string description = "wire protocol: 4 (Pyro4) or 5 (Pyro5)")
    {
        var protocol = new Option<int>("--protocol") { Description = description, DefaultValueFactory = _ => 4 };
        protocol.AcceptOnlyFromAmong("4", "5");
        return protocol;
    }

    /// <summary>False (after one line on <paramref name="error"/>) when PYRO_HMAC_KEY is set for a Pyro5 client.</summary>
    public static bool AllowsKey(int protocol, byte[]? hmacKey, TextWriter error)
    {
        if (protocol != 5 || hmacKey is null) return true;
        error.WriteLine("error: PYRO_HMAC_KEY is set, but Pyro5 (--protocol 5) has no HMAC signing");
        return false;
    }
}

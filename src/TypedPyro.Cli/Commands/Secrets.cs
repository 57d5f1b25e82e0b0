using System.Text;

namespace TypedPyro.Cli.Commands;

/// <summary>Secrets come from the environment only, never from the command line (where other users can read them).</summary>
internal static class Secrets
{
    public static byte[]? HmacKeyFromEnvironment()
    {
        var key = Environment.GetEnvironmentVariable("PYRO_HMAC_KEY");
        return string.IsNullOrEmpty(key) ? null : Encoding.UTF8.GetBytes(key);
    }
}

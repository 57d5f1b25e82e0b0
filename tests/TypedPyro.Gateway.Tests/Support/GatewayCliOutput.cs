using System.Text.RegularExpressions;

namespace TypedPyro.Gateway.Tests.Support;

/// <summary>Reading what <c>typedpyro gateway</c> prints while it runs.</summary>
internal static class GatewayCliOutput
{
    /// <summary>
    /// Waits (up to 20 s, or until the command ends) for the "running on" line and returns the page address it names;
    /// null if it never came.
    /// </summary>
    public static async Task<Uri?> WaitForPageAsync(StringWriter output, Task run, string scheme = "http")
    {
        var line = new Regex($@"^Pyro HTTP gateway running on ({scheme}://127\.0\.0\.1:\d+/pyro/)\r?$", RegexOptions.Multiline);
        for (int i = 0; i < 400 && !run.IsCompleted; i++)
        {
            var m = line.Match(output.ToString());
            if (m.Success) return new Uri(m.Groups[1].Value);
            await Task.Delay(50);
        }
        return null;
    }
}

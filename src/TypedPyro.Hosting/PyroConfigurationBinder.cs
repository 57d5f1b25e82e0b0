using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace TypedPyro.Hosting;

/// <summary>
/// Reads a configuration section into <see cref="PyroHostingOptions"/>: Pyro's item names as keys (any case), the
/// daemon's own keys, and nothing else. Problems are collected with the item's full path and reported at start.
/// </summary>
internal static class PyroConfigurationBinder
{
    private static readonly HashSet<string> PyroItems = new(PyroConfig.ItemNames.Concat(["LOGLEVEL", "LOGFILE"]), StringComparer.OrdinalIgnoreCase);

    public static void Bind(IConfiguration section, PyroHostingOptions options)
    {
        foreach (var child in section.GetChildren())
        {
            string path = child is IConfigurationSection s ? s.Path : child.Key;
            string key = child.Key.ToUpperInvariant();
            string? value = child.Value;
            switch (key)
            {
                case "PORT":
                    if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int port) && port is >= 0 and <= 65535) options.Port = port;
                    else options.BindingErrors.Add($"{path}: '{value}' is not a port number (0-65535)");
                    break;
                case "UNIXSOCKET":
                    options.UnixSocket = string.IsNullOrEmpty(value) ? null : value;
                    break;
                case "HMAC_KEY":
                    options.HmacKey = string.IsNullOrEmpty(value) ? null : value;
                    break;
                case "NS_REGISTER":
                    if (bool.TryParse(value, out bool register)) options.RegisterWithNameServer = register;
                    else options.BindingErrors.Add($"{path}: '{value}' is not true or false");
                    break;
                default:
                    if (!PyroItems.Contains(key))
                    {
                        options.BindingErrors.Add($"{path}: not a Pyro configuration item (see docs/configuration.md) nor PORT, UNIXSOCKET, HMAC_KEY, NS_REGISTER");
                        break;
                    }
                    options.Items[key] = value;
                    // Checked alone here so that the error names the configuration path, not a PYRO_ variable.
                    try
                    {
                        PyroConfig.FromEnvironment(new Dictionary<string, string?> { ["PYRO_" + key] = value });
                    }
                    catch (FormatException e)
                    {
                        options.BindingErrors.Add($"{path}: {e.Message.Replace("PYRO_" + key + "=", "", StringComparison.Ordinal)}");
                    }
                    break;
            }
        }
    }
}

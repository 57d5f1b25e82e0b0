using Microsoft.Extensions.Options;

namespace TypedPyro.Hosting;

/// <summary>Checks the hosted daemon's options when the host starts (ValidateOnStart): every problem, each named.</summary>
internal sealed class PyroHostingOptionsValidator : IValidateOptions<PyroHostingOptions>
{
    public ValidateOptionsResult Validate(string? name, PyroHostingOptions options)
    {
        var errors = new List<string>(options.BindingErrors);
        if (options.Port is < 0 or > 65535) errors.Add($"Pyro:PORT: {options.Port} is not a port number (0-65535)");
        if (errors.Count == 0)
        {
            try
            {
                var config = options.BuildConfig();
                if (config.ServerType is not ("thread" or "multiplex")) errors.Add($"Pyro:SERVERTYPE: '{config.ServerType}' is neither thread nor multiplex");
                if (options.UnixSocket is not null && config.NatHost is not null) errors.Add("Pyro:UNIXSOCKET: cannot be used together with NATHOST");
            }
            catch (FormatException e)
            {
                // A PYRO_ variable: its message names it.
                errors.Add(e.Message);
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

namespace TypedPyro.Cli.Commands.Check;

/// <summary>Our side of the checks: the configuration (PYRO_* variables), the HMAC key, and the deadline of each step.</summary>
internal sealed record CheckSettings(PyroConfig Config, byte[]? HmacKey, TimeSpan Timeout);

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TypedPyro;

/// <summary>
/// Pyro's built-in log configuration: when <c>PYRO_LOGLEVEL</c> is set (DEBUG, INFO, WARNING, ERROR, CRITICAL),
/// TypedPyro components that were given no <see cref="ILogger"/> log at that level to <c>PYRO_LOGFILE</c>
/// (default <c>pyro.log</c>; <c>{stderr}</c> = standard error), in Python's line format. Unset: no logging. Code that
/// hands TypedPyro its own <see cref="ILoggerFactory"/> gets Microsoft.Extensions.Logging as usual.
/// </summary>
public static class PyroLogging
{
    private static readonly Lazy<ILoggerFactory> FromEnvironment = new(() => Create(PyroConfig.Default));

    /// <summary>The factory configured from <c>PYRO_LOGLEVEL</c>/<c>PYRO_LOGFILE</c> (a no-op one when unset).</summary>
    public static ILoggerFactory Default => FromEnvironment.Value;

    /// <summary>Builds the factory for a configuration's <see cref="PyroConfig.LogLevel"/> and <see cref="PyroConfig.LogFile"/>.</summary>
    public static ILoggerFactory Create(PyroConfig config)
    {
        if (string.IsNullOrEmpty(config.LogLevel)) return NullLoggerFactory.Instance;
        var level = ParseLevel(config.LogLevel);
        string file = config.LogFile ?? "pyro.log";
        TextWriter writer;
        if (file == "{stderr}")
        {
            writer = Console.Error;
        }
        else
        {
            try
            {
                writer = TextWriter.Synchronized(new StreamWriter(new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true });
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // As Python: a log file that cannot be written falls back to the console.
                writer = Console.Error;
                writer.WriteLine($"[{DateTime.Now:yyyy-MM-dd HH:mm:ss.fff},TypedPyro,WARNING] unable to write to the desired logfile (access rights?), falling back to console logger");
            }
        }
        var factory = new PyroLoggerFactory(writer, level);
        factory.CreateLogger("TypedPyro").LogInformation("Pyro log configured using built-in defaults, level={Level}", config.LogLevel);
        return factory;
    }

    /// <summary>Python logging level names to .NET levels.</summary>
    /// <exception cref="ArgumentException">An unknown name (Python raises too).</exception>
    public static LogLevel ParseLevel(string name) => name.ToUpperInvariant() switch
    {
        "DEBUG" or "NOTSET" => LogLevel.Debug,
        "INFO" => LogLevel.Information,
        "WARNING" or "WARN" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "CRITICAL" or "FATAL" => LogLevel.Critical,
        _ => throw new ArgumentException($"unknown PYRO_LOGLEVEL '{name}'"),
    };

    private static string PythonLevelName(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        _ => "CRITICAL",
    };

    private sealed class PyroLoggerFactory(TextWriter writer, LogLevel minimum) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new Logger(writer, minimum, categoryName);
        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("the built-in Pyro log configuration takes no providers; pass your own ILoggerFactory instead");
        public void Dispose() => writer.Flush();
    }

    private sealed class Logger(TextWriter writer, LogLevel minimum, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            string line = $"[{DateTime.Now:yyyy-MM-dd HH:mm:ss.fff},{category},{PythonLevelName(logLevel)}] {formatter(state, exception)}";
            writer.WriteLine(exception is null ? line : line + Environment.NewLine + exception);
        }
    }
}

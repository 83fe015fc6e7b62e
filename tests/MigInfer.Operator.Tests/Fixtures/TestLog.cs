using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace MigInfer.Operator.Tests.Fixtures;

/// <summary>Sends the operator's logs to the test's output and keeps every Error-level line, so a test can fail on one.</summary>
internal sealed class TestLog(ITestOutputHelper output)
{
    public ConcurrentQueue<string> Errors { get; } = new();

    public ILoggerFactory Factory() => LoggerFactory.Create(b => b.AddProvider(new Provider(this)).SetMinimumLevel(LogLevel.Information));

    private sealed class Provider(TestLog log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(log, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class Logger(TestLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}";
            if (logLevel >= LogLevel.Error)
            {
                log.Errors.Enqueue(line);
            }

            try
            {
                log._output.WriteLine(line);
            }
            catch (InvalidOperationException)
            {
                // The test has finished; later lines have nowhere to go.
            }
        }
    }

    private readonly ITestOutputHelper _output = output;
}

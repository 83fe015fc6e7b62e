using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MigInfer.InferenceServer.Tests.Peers;

/// <summary>Records every log event (id and level) of the loggers it provides, Information and up.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider, ILogger
{
    private readonly ConcurrentQueue<(int Id, LogLevel Level, string Message)> _events = new();

    public IReadOnlyList<(int Id, LogLevel Level, string Message)> Events => [.. _events];

    /// <summary>Adds this provider to a server's logging, at Information even where the server logs less.</summary>
    public void AddTo(IServiceCollection services) =>
        services.AddLogging(l => l.AddProvider(this).AddFilter<RecordingLoggerProvider>(null, LogLevel.Information));

    public int Count(int eventId) => _events.Count(e => e.Id == eventId);

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _events.Enqueue((eventId.Id, logLevel, formatter(state, exception)));

    public void Dispose()
    {
    }
}

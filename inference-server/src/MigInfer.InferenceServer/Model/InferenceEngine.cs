using MigInfer.InferenceServer.Configuration;
using MigInfer.InferenceServer.Execution;
using MigInfer.InferenceServer.Hosting;
using MigInfer.InferenceServer.Observability;
using MigInfer.InferenceServer.Tensors;
using Prometheus;

namespace MigInfer.InferenceServer.Model;

/// <summary>
/// The served model behind both front ends: its state, its signature, and the path every inference
/// takes (find model → check ready → validate → schedule → filter outputs), with metrics.
/// </summary>
internal sealed class InferenceEngine(ServerOptions options, CollectorRegistry registry, ModelFetcher fetcher, ISchedulerFactory schedulers, TimeProvider time, ILogger<InferenceEngine> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private IModelRunner? _runner;
    private IInferenceScheduler? _scheduler;
    private InferenceMetrics? _metrics;

    public EngineState State { get; private set; } = EngineState.Loading;

    public ServerOptions Options => options;

    /// <summary>Requests accepted and waiting for execution.</summary>
    public int PendingCount => _scheduler?.PendingCount ?? 0;

    /// <summary>The execution provider in use (<c>cpu</c> or <c>cuda</c>); null until loaded.</summary>
    public string? ExecutionProvider { get; private set; }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var fetched = await fetcher.FetchAsync(options.ModelPath, options.ModelCacheDirectory, options.ModelMaxBytes, options.ModelSha256, cancellationToken).ConfigureAwait(false);
            logger.ModelFetched(options.ModelName, options.ModelVersion, fetched.Path, fetched.Bytes, fetched.Sha256);
            var model = await Task.Run(() => OnnxModel.Load(fetched.Path, options, logger), cancellationToken).ConfigureAwait(false);
            var warmUp = await Task.Run(model.WarmUp, cancellationToken).ConfigureAwait(false);
            var seed = options.ProfileFile is { } profileFile
                ? LatencySeed.Load(profileFile, options.SliceProfile)
                : await Task.Run(() => LatencySeed.Measure(model), cancellationToken).ConfigureAwait(false);
            Start(model, model.ExecutionProvider.ToString().ToLowerInvariant(), seed);
            logger.ModelReady(options.ModelName, model.Signature.Inputs.Count, model.Signature.Outputs.Count, model.Signature.Batched, model.Signature.MaxBatchSize, warmUp.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            State = EngineState.Failed;
            logger.ModelLoadFailed(ex, options.ModelName);
            throw;
        }
    }

    /// <summary>Starts serving a loaded, warmed-up model; the engine becomes ready.</summary>
    public void Start(IModelRunner runner, string executionProvider, IReadOnlyDictionary<int, double> latencySeedMs)
    {
        lock (_gate)
        {
            if (State != EngineState.Loading)
            {
                throw new InvalidOperationException($"cannot start serving in state {State}");
            }

            _runner = runner;
            ExecutionProvider = executionProvider;
            _metrics = new InferenceMetrics(registry, options.ModelName, options.ModelVersion, options.SliceProfile, executionProvider, runner.Signature.MaxBatchSize, () => PendingCount);
            _scheduler = schedulers.Create(runner, _metrics, latencySeedMs);
            State = EngineState.Ready;
        }
    }

    /// <summary>Stops accepting requests and answers every queued one.</summary>
    public async Task DrainAsync()
    {
        IInferenceScheduler? scheduler;
        lock (_gate)
        {
            if (State == EngineState.Ready)
            {
                State = EngineState.Draining;
            }

            scheduler = _scheduler;
        }

        if (scheduler is not null)
        {
            logger.Draining(scheduler.PendingCount);
            await scheduler.StopAsync().ConfigureAwait(false);
            logger.Drained();
        }
    }

    public bool IsModelReady(string name, string version) => State == EngineState.Ready && Matches(name, version);

    /// <summary>Throws NOT_FOUND unless the name (and version, when given) are the served model's.</summary>
    public void CheckServed(string name, string version)
    {
        if (!Matches(name, version))
        {
            throw new InferenceException(ErrorKind.NotFound, name == options.ModelName
                ? $"model '{name}' has no version '{version}' (versions: {options.ModelVersion})"
                : $"model '{name}' is not served here (models: {options.ModelName})");
        }
    }

    /// <summary>The signature of the addressed model; NOT_FOUND for another name or version, UNAVAILABLE before it is loaded.</summary>
    public ModelSignature Find(string name, string version)
    {
        CheckServed(name, version);
        return _runner?.Signature ?? throw NotReady(name);
    }

    public async Task<IReadOnlyList<TensorData>> InferAsync(InferRequest request, DateTimeOffset? transportDeadline, CancellationToken cancellationToken)
    {
        var signature = Find(request.ModelName, request.ModelVersion);
        var arrival = time.GetUtcNow();
        try
        {
            if (State != EngineState.Ready)
            {
                throw NotReady(request.ModelName);
            }

            var inputs = signature.Validate(request.Inputs);
            var outputs = signature.ResolveOutputs(request.RequestedOutputs);
            DateTimeOffset? deadline = request.Timeout is { } timeout ? arrival + timeout : null;
            if (transportDeadline is { } transport && (deadline is null || transport < deadline))
            {
                deadline = transport;
            }

            // The scheduler enforces the deadline (refused when unreachable, expired in the queue).
            var all = await _scheduler!.EnqueueAsync(new ScheduledRequest(inputs, deadline), cancellationToken).ConfigureAwait(false);
            _metrics!.Succeeded(time.GetUtcNow() - arrival);
            return [.. outputs.Select(name => all.First(t => t.Name == name))];
        }
        catch (InferenceException)
        {
            _metrics?.Failed(time.GetUtcNow() - arrival);
            throw;
        }
    }

    public void Dispose() => _scheduler?.Dispose();

    private InferenceException NotReady(string name) => new(ErrorKind.Unavailable, $"model '{name}' is {State.ToString().ToLowerInvariant()}");

    private bool Matches(string name, string version) =>
        name == options.ModelName && (version.Length == 0 || version == options.ModelVersion);
}

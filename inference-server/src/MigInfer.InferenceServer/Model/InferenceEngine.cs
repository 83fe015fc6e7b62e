using MigInfer.InferenceServer.Configuration;
using MigInfer.InferenceServer.Execution;
using MigInfer.InferenceServer.Hosting;
using MigInfer.InferenceServer.Observability;
using MigInfer.InferenceServer.Peers;
using MigInfer.InferenceServer.Protocol.Peer;
using MigInfer.InferenceServer.Tensors;
using MigInfer.Scheduling;
using Prometheus;

namespace MigInfer.InferenceServer.Model;

/// <summary>
/// The served model behind both front ends: its state, its signature, and the path every inference
/// takes (find model → check ready → validate → route to this slice or a peer's → filter outputs), with metrics.
/// </summary>
internal sealed class InferenceEngine(ServerOptions options, CollectorRegistry registry, ModelFetcher fetcher, ISchedulerFactory schedulers, DiscoveredPeers peers, TimeProvider time, ILogger<InferenceEngine> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private IModelRunner? _runner;
    private IInferenceScheduler? _scheduler;
    private InferenceMetrics? _metrics;
    private ServiceRouter? _router;

    public EngineState State { get; private set; } = EngineState.Loading;

    public ServerOptions Options => options;

    /// <summary>Requests accepted and waiting for execution.</summary>
    public int PendingCount => _scheduler?.PendingCount ?? 0;

    /// <summary>Largest request, in samples, this slice runs; 0 until loaded.</summary>
    public int MaxBatchSize => _scheduler?.MaxBatchSize ?? 0;

    /// <summary>Peers the router can send requests to; 0 until loaded.</summary>
    public int AlivePeers => _router?.AlivePeers ?? 0;

    /// <summary>The latency model this slice's scheduler corrects online; null until loaded.</summary>
    public LatencyModel? LatencyModel => _scheduler?.LatencyModel;

    /// <summary>The buckets of this slice's own profile with at least one measured execution, ascending; empty until loaded.</summary>
    public IReadOnlyList<ObservedLatency> ObservedProfile()
    {
        if (LatencyModel is not { } model || !model.TryResolve(options.SliceProfile, out var profile))
        {
            return [];
        }

        return [.. model.GetStats(profile).Select(s => new ObservedLatency(
            s.MaxBatch,
            Math.Round(model.Predict(profile, s.MaxBatch).TotalMilliseconds, 2),
            s.Observations,
            Math.Round(s.MeanAbsoluteRelativeError * 100, 1)))];
    }

    /// <summary>The execution provider in use (<c>cpu</c> or <c>cuda</c>); null until loaded.</summary>
    public string? ExecutionProvider { get; private set; }

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var fetched = await fetcher.FetchAsync(options.ModelPath, options.ModelCacheDirectory, options.ModelMaxBytes, options.ModelSha256, cancellationToken).ConfigureAwait(false);
            logger.ModelFetched(options.ModelName, options.ModelVersion, fetched.Path, fetched.Bytes, fetched.Sha256);
            var model = await Task.Run(() => OnnxModel.Load(fetched.Path, options, logger), cancellationToken).ConfigureAwait(false);
            var warmUp = await Task.Run(() => WarmUp.Run(model), cancellationToken).ConfigureAwait(false);
            var profiles = options.ProfileFile is { } profileFile ? LatencySeed.LoadAll(profileFile) : null;
            var seed = options.ProfileFile is { } file
                ? LatencySeed.Load(file, options.SliceProfile)
                : await Task.Run(() => LatencySeed.Measure(model), cancellationToken).ConfigureAwait(false);
            Start(model, model.ExecutionProvider.ToString().ToLowerInvariant(), seed, profiles);
            logger.ModelLoaded(options.ModelName, model.Signature.Inputs.Count, model.Signature.Outputs.Count, model.Signature.Batched, model.Signature.MaxBatchSize, warmUp.Elapsed.TotalMilliseconds);
            if (warmUp.LeftOut is { } predicted)
            {
                logger.LongestWarmUpLeftOut(options.ModelName, model.Signature.Limits.ToString(), model.Signature.MaxBatchSize, Math.Round(predicted.TotalMilliseconds), WarmUp.LongestBudget.TotalMilliseconds);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            State = EngineState.Failed;
            if (IsModelProblem(ex))
            {
                // What is wrong with the model or its files, in one line (kubectl logs, local mode's failure message).
                logger.ModelLoadFailed(options.ModelName, $"{ex.GetType().Name}: {ex.Message}");
            }
            else
            {
                logger.ModelLoadFailed(ex, options.ModelName);
            }

            throw;
        }
    }

    /// <summary>Starts serving a loaded, warmed-up model, to the server's warm-up requests until <see cref="MarkReady"/>.</summary>
    /// <param name="runner">The loaded model.</param>
    /// <param name="executionProvider">Label for metrics.</param>
    /// <param name="latencySeedMs">This slice's latency table.</param>
    /// <param name="otherProfiles">The service's other profiles' tables, for routing to peers.</param>
    public void Start(IModelRunner runner, string executionProvider, IReadOnlyDictionary<int, double> latencySeedMs, IReadOnlyDictionary<string, IReadOnlyDictionary<int, double>>? otherProfiles = null)
    {
        lock (_gate)
        {
            if (State != EngineState.Loading)
            {
                throw new InvalidOperationException($"cannot start serving in state {State}");
            }

            _runner = runner;
            ExecutionProvider = executionProvider;
            _metrics = new InferenceMetrics(registry, options, executionProvider, runner.Signature.MaxBatchSize, () => PendingCount, ObservedProfile);
            _scheduler = schedulers.Create(runner, _metrics, latencySeedMs, otherProfiles);
            _router = new ServiceRouter(_scheduler, options, peers, _metrics, logger);
            State = EngineState.WarmingUp;
        }
    }

    /// <summary>Ends the warm-up: the engine says ready and counts every request from now on. Nothing once draining.</summary>
    public void MarkReady()
    {
        lock (_gate)
        {
            if (State == EngineState.WarmingUp)
            {
                _metrics!.StartCounting();
                State = EngineState.Ready;
            }
        }
    }

    /// <summary>Stops accepting requests and answers every queued one.</summary>
    public async Task DrainAsync()
    {
        IInferenceScheduler? scheduler;
        lock (_gate)
        {
            if (State is EngineState.Ready or EngineState.WarmingUp)
            {
                State = EngineState.Draining;
            }

            scheduler = _scheduler;
        }

        if (scheduler is not null)
        {
            logger.Draining(scheduler.PendingCount);
            await scheduler.StopAsync().ConfigureAwait(false);
            await _router!.DisposeAsync().ConfigureAwait(false);
            logger.Drained();
        }
    }

    /// <summary>This slice's backlog report for peers.</summary>
    public BacklogReport Report() => _router?.Report(State == EngineState.Ready) ?? new BacklogReport { Ready = false };

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

    /// <summary>Answers one request, on this slice or (unless <paramref name="forwarded"/>) a peer's.</summary>
    /// <param name="request">The decoded request.</param>
    /// <param name="transportDeadline">The gRPC deadline; null for none.</param>
    /// <param name="cancellationToken">Fires when the caller goes away.</param>
    /// <param name="forwarded">True for a request a peer forwarded here: it runs on this slice, never forwarded again.</param>
    /// <param name="onStarted">Called when this slice begins executing it.</param>
    public async Task<InferResult> InferAsync(InferRequest request, DateTimeOffset? transportDeadline, CancellationToken cancellationToken, bool forwarded = false, Action? onStarted = null)
    {
        var signature = Find(request.ModelName, request.ModelVersion);
        var arrival = time.GetUtcNow();
        try
        {
            // Until ready, only the server's own warm-up requests are served (a client that ignores readiness is
            // told UNAVAILABLE, as before loading, and its request is never served uncounted).
            var state = State;
            if (state != EngineState.Ready && !(state == EngineState.WarmingUp && request.WarmUp))
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

            // The router sheds what no slice can finish in time; the scheduler enforces the deadline in its queue.
            // A warm-up request runs here, as a forwarded one does: peers must not see it.
            var localOnly = forwarded || state == EngineState.WarmingUp;
            var result = await _router!.InferAsync(inputs, deadline, localOnly, onStarted, cancellationToken).ConfigureAwait(false);
            _metrics!.Succeeded(time.GetUtcNow() - arrival, forwarded);
            return result with { Outputs = [.. outputs.Select(name => result.Outputs.First(t => t.Name == name))] };
        }
        catch (InferenceException)
        {
            _metrics?.Failed(time.GetUtcNow() - arrival, forwarded);
            throw;
        }
    }

    public void Dispose()
    {
        _router?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _scheduler?.Dispose();
    }

    /// <summary>Failures that say what is wrong with the model, its file, its download or its profile, not with the server.</summary>
    private static bool IsModelProblem(Exception ex) =>
        ex is FileNotFoundException or InvalidDataException or NotSupportedException or HttpRequestException;

    private InferenceException NotReady(string name) => new(ErrorKind.Unavailable, $"model '{name}' is {State switch
    {
        EngineState.WarmingUp => "warming up",
        var other => other.ToString().ToLowerInvariant(),
    }}");

    private bool Matches(string name, string version) =>
        name == options.ModelName && (version.Length == 0 || version == options.ModelVersion);
}

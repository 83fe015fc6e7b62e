using System.Globalization;
using MigInfer.Planning.Documents;

namespace MigInfer.Cli.Local;

/// <summary>How to start the server of one planned slice: where the plan put it, its ports, its peers and its latency table.</summary>
internal sealed record SliceLaunch(
    LocalServiceSpec Service,
    string Profile,
    string Node,
    int Gpu,
    int Start,
    int HttpPort,
    int GrpcPort,
    int MetricsPort,
    IReadOnlyList<string> Peers,
    int IntraOpThreads,
    string? ProfileFile = null)
{
    /// <summary>A name for logs and messages, e.g. <c>vision/resnet50 3g.20gb gpu-node-1/0@4</c>.</summary>
    public string Title => $"{Service.Demand.Name} {Profile} {Node}/{Gpu}@{Start}";

    /// <summary>The server's command line (DESIGN.md 5.1), the same a slice pod gets through its environment.</summary>
    public IEnumerable<string> Arguments()
    {
        var spec = Service.Document.Spec!;
        yield return "--model-path";
        yield return Service.ModelPath;
        yield return "--model-name";
        yield return Service.ModelName;
        yield return "--slice-profile";
        yield return Profile;
        yield return "--slo-ms";
        yield return Service.Demand.SloMs.ToString(CultureInfo.InvariantCulture);
        if (spec.Slo?.Percentile is { } percentile)
        {
            yield return "--slo-percentile";
            yield return percentile.ToString(CultureInfo.InvariantCulture);
        }

        yield return "--max-batch-size";
        yield return Service.Demand.MaxBatchSize.ToString(CultureInfo.InvariantCulture);
        if (spec.Model?.MaxDims is { Count: > 0 } maxDims)
        {
            yield return "--max-dims";
            yield return ModelDocument.FormatMaxDims(maxDims);
        }

        if (spec.Batching?.MaxQueueDelayMicroseconds is { } delay)
        {
            yield return "--max-queue-delay-us";
            yield return delay.ToString(CultureInfo.InvariantCulture);
        }

        if (spec.Batching?.PreferredBatchSizes is { Count: > 0 } preferred)
        {
            yield return "--preferred-batch-sizes";
            yield return string.Join(',', preferred.Select(size => size.ToString(CultureInfo.InvariantCulture)));
        }

        if (spec.Batching?.MaxQueueSize is { } queue)
        {
            yield return "--max-queue-size";
            yield return queue.ToString(CultureInfo.InvariantCulture);
        }

        if (ProfileFile is not null)
        {
            yield return "--profile-file";
            yield return ProfileFile;
        }

        if (Peers.Count > 0)
        {
            yield return "--peers";
            yield return string.Join(',', Peers);
        }

        yield return "--listen-address";
        yield return "127.0.0.1";
        yield return "--http-port";
        yield return HttpPort.ToString(CultureInfo.InvariantCulture);
        yield return "--grpc-port";
        yield return GrpcPort.ToString(CultureInfo.InvariantCulture);
        yield return "--metrics-port";
        yield return MetricsPort.ToString(CultureInfo.InvariantCulture);
        yield return "--execution-provider";
        yield return "cpu";
        yield return "--intra-op-threads";
        yield return IntraOpThreads.ToString(CultureInfo.InvariantCulture);
    }
}

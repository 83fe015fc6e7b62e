using System.Collections.Immutable;
using MigInfer.Planning.Capacity;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Model;

namespace MigInfer.Planning.Documents;

/// <summary>
/// Reads InferenceService YAML (the CRD shape of DESIGN.md section 3) into <see cref="ServiceDemand"/>s.
/// Documents of kind ClusterInventory in the same files are skipped, so one folder can hold both.
/// </summary>
public static class ServiceReader
{
    public static IReadOnlyList<ServiceDemand> Read(string text, string source, GpuCatalog catalog) =>
        ReadWithDocuments(text, source, catalog).Select(s => s.Demand).ToList();

    /// <summary>
    /// Like <see cref="Read"/>, with each service's document, for hosts that need more of the spec
    /// than the planner does (storage URI, batching).
    /// </summary>
    public static IReadOnlyList<(InferenceServiceDocument Document, ServiceDemand Demand)> ReadWithDocuments(string text, string source, GpuCatalog catalog)
    {
        var services = new List<(InferenceServiceDocument, ServiceDemand)>();
        foreach (var (chunk, firstLine, kind) in YamlDocuments.Split(text, source))
        {
            if (kind == "ClusterInventory")
            {
                continue;
            }

            if (kind != "InferenceService")
            {
                throw new DocumentException($"{source}:{firstLine + 1}: kind = {kind ?? "(missing)"}; expected InferenceService or ClusterInventory");
            }

            var doc = YamlDocuments.Read<InferenceServiceDocument>(chunk, source, firstLine);
            var name = doc.Metadata.Name ?? throw new DocumentException($"{source}:{firstLine + 1}: InferenceService: metadata.name is missing");
            var full = $"{doc.Metadata.Namespace ?? "default"}/{name}";
            try
            {
                services.Add((doc, FromSpec(full, doc.Spec ?? throw Missing("spec"), catalog)));
            }
            catch (PlanningInputException e)
            {
                var message = e.Message.StartsWith("InferenceService", StringComparison.Ordinal) ? e.Message : $"InferenceService {full}: {e.Message}";
                throw new DocumentException($"{source}: {message}", e);
            }
        }

        return services;
    }

    /// <summary>
    /// Converts one spec (from YAML or from the API server) into a validated <see cref="ServiceDemand"/>.
    /// Throws <see cref="PlanningInputException"/> naming the spec field when the spec cannot be used.
    /// </summary>
    public static ServiceDemand FromSpec(string name, InferenceServiceSpecDocument spec, GpuCatalog catalog)
    {
        var service = Convert(name, spec, catalog);
        ServiceDemandValidation.Validate(service);
        return service;
    }

    private static ServiceDemand Convert(string name, InferenceServiceSpecDocument spec, GpuCatalog catalog)
    {
        var model = spec.Model ?? throw Missing("spec.model");
        var maxBatch = model.MaxBatchSize ?? 1;
        var traffic = spec.Traffic ?? throw Missing("spec.traffic");
        return new ServiceDemand
        {
            Name = name,
            SloMs = spec.Slo?.LatencyMs ?? throw Missing("spec.slo.latencyMs"),
            RequestsPerSecond = traffic.RequestsPerSecond ?? throw Missing("spec.traffic.requestsPerSecond"),
            Sizes = Sizes(traffic, maxBatch),
            Latencies = Latencies(spec.Profile ?? throw Missing("spec.profile"), catalog, maxBatch),
            MaxBatchSize = maxBatch,
            MemoryMiB = model.MemoryMiB ?? 0,
            AllowedProfiles = [.. spec.Placement?.AllowedProfiles ?? []],
            NodeSelector = (spec.Placement?.NodeSelector ?? []).ToImmutableDictionary(),
            MinSlices = spec.Placement?.MinSlices ?? 1,
        };
    }

    private static ImmutableArray<SizeClass> Sizes(TrafficDocument traffic, int maxBatch)
    {
        if (traffic.BatchSizes is not null && traffic.Lognormal is not null)
        {
            throw new PlanningInputException("spec.traffic: give batchSizes or lognormal, not both");
        }

        if (traffic.Lognormal is { } ln)
        {
            return RequestSizeDistribution.LogNormal(
                ln.Median ?? throw Missing("spec.traffic.lognormal.median"),
                ln.Sigma ?? throw Missing("spec.traffic.lognormal.sigma"),
                ln.Max ?? maxBatch);
        }

        if (traffic.BatchSizes is null)
        {
            return [new SizeClass(1, 1)];
        }

        var entries = traffic.BatchSizes.Select((b, i) => (
            Size: b.Size ?? throw Missing($"spec.traffic.batchSizes[{i}].size"),
            Weight: b.Weight ?? throw Missing($"spec.traffic.batchSizes[{i}].weight"))).ToList();
        var total = entries.Sum(e => e.Weight);
        if (entries.Any(e => e.Weight < 0) || total <= 0)
        {
            throw new PlanningInputException($"spec.traffic.batchSizes: weights ({string.Join(", ", entries.Select(e => e.Weight))}) must be non-negative with a positive sum");
        }

        return [.. entries.GroupBy(e => e.Size).OrderBy(g => g.Key).Select(g => new SizeClass(g.Key, g.Sum(e => e.Weight) / total))];
    }

    private static ImmutableArray<LatencyTable> Latencies(ProfileDocument profile, GpuCatalog catalog, int maxBatch)
    {
        if (profile.Estimate is { } estimate)
        {
            var cost = new ModelCost(
                estimate.GflopsPerSample ?? throw Missing("spec.profile.estimate.gflopsPerSample"),
                estimate.WeightMiB ?? 0,
                estimate.ActivationMiBPerSample ?? 0,
                estimate.Precision ?? "fp16");
            return [.. catalog.Products.Select(p => RooflineEstimator.Estimate(p, cost, maxBatch))];
        }

        if (profile.Latencies is not { Count: > 0 })
        {
            throw new PlanningInputException("spec.profile has no latency table; give spec.profile.latencies (measured) or spec.profile.estimate (roofline)");
        }

        var productLabel = profile.GpuProduct ?? throw Missing("spec.profile.gpuProduct");
        var product = catalog.TryResolve(productLabel, out var p) ? p
            : throw new PlanningInputException($"spec.profile.gpuProduct = {productLabel} is not a known MIG-capable product ({string.Join(", ", catalog.Products.SelectMany(x => x.ProductLabels))})");
        var points = profile.Latencies.Select((l, i) =>
        {
            var name = l.Profile ?? throw Missing($"spec.profile.latencies[{i}].profile");
            if (product.FindProfile(name) is null)
            {
                throw new PlanningInputException($"spec.profile.latencies[{i}].profile = {name} does not exist on {product.Name} ({string.Join(", ", product.Profiles.Select(x => x.Name))})");
            }

            return new LatencyPoint(name, l.Batch ?? throw Missing($"spec.profile.latencies[{i}].batch"), l.Ms ?? throw Missing($"spec.profile.latencies[{i}].ms"));
        }).ToList();
        var duplicate = points.GroupBy(x => (x.Profile, x.Batch)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new PlanningInputException($"spec.profile.latencies: profile {duplicate.Key.Profile} batch {duplicate.Key.Batch} is given {duplicate.Count()} times");
        }

        var source = (profile.Source ?? "measured").ToLowerInvariant() switch
        {
            "measured" => ProfileSource.Measured,
            "estimated" => ProfileSource.Estimated,
            var other => throw new PlanningInputException($"spec.profile.source = {other} must be measured or estimated"),
        };
        return [new LatencyTable(productLabel, points, source)];
    }

    private static PlanningInputException Missing(string field) => new($"{field} is missing");
}

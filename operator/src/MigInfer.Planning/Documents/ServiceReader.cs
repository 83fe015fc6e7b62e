using System.Collections.Immutable;
using System.Globalization;
using MigInfer.Planning.Capacity;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Model;

namespace MigInfer.Planning.Documents;

/// <summary>
/// Reads InferenceService YAML (the CRD shape of DESIGN.md section 3) into <see cref="ServiceDemand"/>s.
/// Documents of kind ClusterInventory in the same files are skipped, so one folder can hold both;
/// documents of kind ConfigMap are the profiles that spec.profile.profileRef may name.
/// </summary>
public static class ServiceReader
{
    /// <summary>The longest spec.model.maxDims length the CRD admits.</summary>
    private const long MaxDimensionLength = 1 << 20;

    /// <param name="text">YAML with one or more documents.</param>
    /// <param name="source">The file name, for messages.</param>
    /// <param name="catalog">The GPU products profiles may name.</param>
    /// <param name="configMaps">The ConfigMaps profileRef may name; null for those of <paramref name="text"/> itself.</param>
    public static IReadOnlyList<ServiceDemand> Read(string text, string source, GpuCatalog catalog, ConfigMapSet? configMaps = null) =>
        ReadWithDocuments(text, source, catalog, configMaps).Select(s => s.Demand).ToList();

    /// <summary>
    /// Services read from several files must have distinct namespace/name, as in a cluster; the second one is a
    /// <see cref="DocumentException"/> naming both files.
    /// </summary>
    public static void RequireDistinctNames(IEnumerable<(string Service, string File)> services)
    {
        var first = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (service, file) in services)
        {
            if (!first.TryAdd(service, file))
            {
                throw new DocumentException($"{file}: InferenceService {service} is also in {first[service]}; each namespace/name must be given once");
            }
        }
    }

    /// <summary>
    /// Like <see cref="Read"/>, with each service's document, for hosts that need more of the spec
    /// than the planner does (storage URI, batching).
    /// </summary>
    public static IReadOnlyList<(InferenceServiceDocument Document, ServiceDemand Demand)> ReadWithDocuments(string text, string source, GpuCatalog catalog, ConfigMapSet? configMaps = null)
    {
        if (configMaps is null)
        {
            configMaps = new ConfigMapSet();
            configMaps.AddFromYaml(text, source);
        }

        var services = new List<(InferenceServiceDocument, ServiceDemand)>();
        foreach (var (chunk, firstLine, kind) in YamlDocuments.Split(text, source))
        {
            if (kind is "ClusterInventory" or "ConfigMap")
            {
                continue;
            }

            if (kind != "InferenceService")
            {
                throw new DocumentException($"{source}:{firstLine + 1}: kind = {kind ?? "(missing)"}; expected InferenceService, ConfigMap or ClusterInventory");
            }

            var doc = YamlDocuments.Read<InferenceServiceDocument>(chunk, source, firstLine);
            var name = doc.Metadata.Name ?? throw new DocumentException($"{source}:{firstLine + 1}: InferenceService: metadata.name is missing");
            var full = $"{doc.Metadata.Namespace ?? "default"}/{name}";
            try
            {
                services.Add((doc, FromSpec(full, doc.Spec ?? throw Missing("spec"), catalog, configMaps)));
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
    /// <param name="name">namespace/name of the service.</param>
    /// <param name="spec">The spec.</param>
    /// <param name="catalog">The GPU products profiles may name.</param>
    /// <param name="configMaps">The ConfigMaps spec.profile.profileRef may name; null when there are none.</param>
    public static ServiceDemand FromSpec(string name, InferenceServiceSpecDocument spec, GpuCatalog catalog, ConfigMapSet? configMaps = null)
    {
        var service = Convert(name, spec, catalog, configMaps);
        ServiceDemandValidation.Validate(service);
        return service;
    }

    private static ServiceDemand Convert(string name, InferenceServiceSpecDocument spec, GpuCatalog catalog, ConfigMapSet? configMaps)
    {
        var model = spec.Model ?? throw Missing("spec.model");
        var maxBatch = model.MaxBatchSize ?? 1;
        var traffic = spec.Traffic ?? throw Missing("spec.traffic");
        if (spec.Batching?.PreferredBatchSizes is { } preferred && preferred.FindIndex(size => size < 1 || size > maxBatch) is var bad and >= 0)
        {
            // The server refuses to start with such a size; the CRD refuses it at admission too.
            throw new PlanningInputException($"spec.batching.preferredBatchSizes[{bad}] = {preferred[bad]} must be from 1 to spec.model.maxBatchSize = {maxBatch}");
        }

        if (model.MaxDims?.FirstOrDefault(d => !IsDimensionName(d.Key) || d.Value is < 1 or > MaxDimensionLength) is { Key: not null } dimension)
        {
            // The CRD refuses a length out of range at admission; a name --max-dims cannot carry only this check refuses.
            throw new PlanningInputException(IsDimensionName(dimension.Key)
                ? $"spec.model.maxDims.{dimension.Key} = {dimension.Value} must be from 1 to {MaxDimensionLength}"
                : $"spec.model.maxDims has '{dimension.Key}', which is not a symbolic dimension name of 1 to 128 characters without ',', '=' or spaces");
        }

        if (spec.Slo?.Percentile is { } percentile and not (>= 50 and <= 99.99))
        {
            // The servers refuse to start with it; the CRD refuses it at admission too.
            throw new PlanningInputException($"spec.slo.percentile = {percentile.ToString(CultureInfo.InvariantCulture)} must be from 50 to 99.99");
        }

        var profile = Resolve(name, spec.Profile ?? throw Missing("spec.profile"), configMaps, out var field);
        var estimatedMemory = model.MemoryMiB is null ? EstimatedMemoryMiB(profile.Estimate, maxBatch) : null;
        return new ServiceDemand
        {
            Name = name,
            SloMs = spec.Slo?.LatencyMs ?? throw Missing("spec.slo.latencyMs"),
            RequestsPerSecond = traffic.RequestsPerSecond ?? throw Missing("spec.traffic.requestsPerSecond"),
            Sizes = Sizes(traffic, maxBatch),
            Latencies = Latencies(profile, field, catalog, maxBatch),
            MaxBatchSize = maxBatch,
            MemoryMiB = model.MemoryMiB ?? estimatedMemory ?? 0,
            MemoryEstimated = estimatedMemory is not null,
            AllowedProfiles = [.. spec.Placement?.AllowedProfiles ?? []],
            NodeSelector = (spec.Placement?.NodeSelector ?? []).ToImmutableDictionary(),
            MinSlices = spec.Placement?.MinSlices ?? 1,
        };
    }

    /// <summary>
    /// Without spec.model.memoryMiB, a model given by its cost needs at least its weights and a maximum batch's
    /// activations; that lower bound keeps it off slices it cannot fit. A measured table says nothing of memory: null.
    /// </summary>
    private static int? EstimatedMemoryMiB(EstimateDocument? estimate, int maxBatch) =>
        estimate is null ? null : (int)Math.Ceiling((estimate.WeightMiB ?? 0) + ((estimate.ActivationMiBPerSample ?? 0) * maxBatch));

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
        if (entries.FindIndex(e => !(e.Weight > 0)) is var bad and >= 0)
        {
            throw new PlanningInputException($"spec.traffic.batchSizes[{bad}].weight = {entries[bad].Weight} must be positive");
        }

        if (entries.GroupBy(e => e.Size).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            throw new PlanningInputException($"spec.traffic.batchSizes: size {repeated.Key} is given {repeated.Count()} times; give each size once");
        }

        var total = entries.Sum(e => e.Weight);
        return [.. entries.OrderBy(e => e.Size).Select(e => new SizeClass(e.Size, e.Weight / total))];
    }

    /// <summary>
    /// The profile to read: spec.profile itself, or the one its profileRef names (a ConfigMap in the
    /// service's namespace). <paramref name="field"/> is how messages name where the table came from.
    /// </summary>
    private static ProfileDocument Resolve(string service, ProfileDocument profile, ConfigMapSet? configMaps, out string field)
    {
        field = "spec.profile";
        if (profile.ProfileRef is not { } reference)
        {
            return profile;
        }

        // spec.profile.source is not checked: the API server defaults it; the ConfigMap's table says its own source.
        if (profile.Latencies is not null || profile.Estimate is not null || profile.GpuProduct is not null)
        {
            throw new PlanningInputException("spec.profile: profileRef comes alone; give the table in the ConfigMap, not also gpuProduct, latencies or estimate here");
        }

        var name = reference.ConfigMap ?? throw Missing("spec.profile.profileRef.configMap");
        var key = reference.Key ?? ProfileRefDocument.DefaultKey;
        var slash = service.IndexOf('/', StringComparison.Ordinal);
        var ns = slash < 0 ? "default" : service[..slash];
        if (configMaps is null || !configMaps.TryGet(ns, name, out var data))
        {
            throw new PlanningInputException($"spec.profile.profileRef.configMap = {name}: there is no ConfigMap {ns}/{name}");
        }

        if (!data.TryGetValue(key, out var text))
        {
            throw new PlanningInputException($"spec.profile.profileRef.key = {key}: ConfigMap {ns}/{name} has no such key (keys: {(data.Count == 0 ? "none" : string.Join(", ", data.Keys.Order(StringComparer.Ordinal)))})");
        }

        ProfileDocument referenced;
        try
        {
            referenced = YamlDocuments.Read<ProfileDocument>(text, $"ConfigMap {ns}/{name} key {key}", 0);
        }
        catch (DocumentException e)
        {
            throw new PlanningInputException($"spec.profile.profileRef: {e.Message}", e);
        }

        if (referenced.ProfileRef is not null)
        {
            throw new PlanningInputException($"spec.profile.profileRef: ConfigMap {ns}/{name} key {key} holds another profileRef; it must hold the table");
        }

        field = $"spec.profile.profileRef (ConfigMap {ns}/{name} key {key})";
        return referenced;
    }

    private static ImmutableArray<LatencyTable> Latencies(ProfileDocument profile, string field, GpuCatalog catalog, int maxBatch)
    {
        if (profile.Estimate is not null && profile.Latencies is not null)
        {
            throw new PlanningInputException($"{field}: give latencies (measured) or estimate (roofline), not both");
        }

        if (profile.Estimate is { } estimate)
        {
            var cost = new ModelCost(
                estimate.GflopsPerSample ?? throw Missing($"{field}.estimate.gflopsPerSample"),
                estimate.WeightMiB ?? 0,
                estimate.ActivationMiBPerSample ?? 0,
                estimate.Precision ?? "fp16");
            return [.. catalog.Products.Select(p => RooflineEstimator.Estimate(p, cost, maxBatch))];
        }

        if (profile.Latencies is not { Count: > 0 })
        {
            throw new PlanningInputException(field == "spec.profile"
                ? "spec.profile has no latency table; give spec.profile.latencies (measured), spec.profile.estimate (roofline) or spec.profile.profileRef (a ConfigMap)"
                : $"{field} has no latencies");
        }

        var productLabel = profile.GpuProduct ?? throw Missing($"{field}.gpuProduct");
        var product = catalog.TryResolve(productLabel, out var p) ? p
            : throw new PlanningInputException($"{field}.gpuProduct = {productLabel} is not a known MIG-capable product ({string.Join(", ", catalog.Products.SelectMany(x => x.ProductLabels))})");
        var points = profile.Latencies.Select((l, i) =>
        {
            var name = l.Profile ?? throw Missing($"{field}.latencies[{i}].profile");
            if (product.FindProfile(name) is null)
            {
                throw new PlanningInputException($"{field}.latencies[{i}].profile = {name} does not exist on {product.Name} ({string.Join(", ", product.Profiles.Select(x => x.Name))})");
            }

            return new LatencyPoint(name, l.Batch ?? throw Missing($"{field}.latencies[{i}].batch"), l.Ms ?? throw Missing($"{field}.latencies[{i}].ms"));
        }).ToList();
        var duplicate = points.GroupBy(x => (x.Profile, x.Batch)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new PlanningInputException($"{field}.latencies: profile {duplicate.Key.Profile} batch {duplicate.Key.Batch} is given {duplicate.Count()} times");
        }

        var source = (profile.Source ?? "measured").ToLowerInvariant() switch
        {
            "measured" => ProfileSource.Measured,
            "estimated" => ProfileSource.Estimated,
            var other => throw new PlanningInputException($"{field}.source = {other} must be measured or estimated"),
        };
        return [new LatencyTable(productLabel, points, source)];
    }

    private static PlanningInputException Missing(string field) => new($"{field} is missing");

    /// <summary>A spec.model.maxDims name the servers' --max-dims can carry: 1 to 128 characters, no ',', '=' or space.</summary>
    private static bool IsDimensionName(string name) => name.Length is >= 1 and <= 128 && name.IndexOfAny([',', '=', ' ']) < 0;
}

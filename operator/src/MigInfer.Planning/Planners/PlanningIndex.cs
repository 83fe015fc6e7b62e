using System.Collections.Concurrent;
using System.Collections.Immutable;
using MigInfer.Planning.Capacity;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Layouts;
using MigInfer.Planning.Model;
using MigInfer.Planning.Plans;

namespace MigInfer.Planning.Planners;

/// <summary>
/// A planning problem resolved against the catalog and the capacity model: concrete GPUs with
/// their current layouts, each service's usable profiles per product, where each service may run,
/// and what no plan can serve (with the reason). Shared by the CP-SAT planner and the baselines.
/// </summary>
internal sealed class PlanningIndex
{
    private static readonly ConcurrentDictionary<string, IReadOnlyList<MigLayout>> MaximalLayouts = new();

    public PlanningIndex(PlanningProblem problem, GpuCatalog catalog)
    {
        problem.Policy.Validate();
        Problem = problem;
        Model = new CapacityModel(problem.Policy);
        Services = problem.Services;
        var duplicate = Services.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new PlanningInputException($"InferenceService {duplicate.Key} is given {duplicate.Count()} times");
        }

        foreach (var service in Services)
        {
            ServiceDemandValidation.Validate(service);
        }

        Gpus = ResolveGpus(problem.Cluster, catalog);
        Products = Gpus.Select(g => g.Product).Distinct().ToList();
        Options = Services.Select(s => Products.ToDictionary(p => p.Name, p => Model.Options(s, p))).ToList();
        Unservable = Services.Select(Diagnose).ToList();
    }

    public PlanningProblem Problem { get; }

    public CapacityModel Model { get; }

    public ImmutableArray<ServiceDemand> Services { get; }

    public IReadOnlyList<GpuSlot> Gpus { get; }

    public IReadOnlyList<GpuProduct> Products { get; }

    /// <summary>Options[s][product name]: the profiles service s can use on that product.</summary>
    public IReadOnlyList<Dictionary<string, IReadOnlyList<ProfileOption>>> Options { get; }

    /// <summary>Per service, the share of its load no plan on this cluster can serve, and why (null if all can be).</summary>
    public IReadOnlyList<UnmetService?> Unservable { get; }

    /// <summary>Every maximal layout of the product's plannable profiles (cached per product).</summary>
    public static IReadOnlyList<MigLayout> CandidateLayouts(GpuProduct product) =>
        MaximalLayouts.GetOrAdd(product.Name, _ => LayoutEnumerator.Maximal(product, product.PlannableProfiles.ToList()));

    /// <summary>Whether service s may run on this node (node selector).</summary>
    public bool Eligible(int s, NodeInventory node) =>
        Services[s].NodeSelector.All(kv => node.Labels.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public IReadOnlyList<ProfileOption> OptionsFor(int s, GpuProduct product) => Options[s][product.Name];

    /// <summary>Whether request class c of service s can run on some GPU this service may use.</summary>
    public bool ClassServable(int s, int c) =>
        Gpus.Where(g => Eligible(s, g.Node)).Select(g => g.Product).Distinct()
            .Any(p => OptionsFor(s, p).Any(o => o.RequestCostMs[c].HasValue));

    /// <summary>Plans the slices of a layout at the current state (the diff's "before").</summary>
    public IEnumerable<PlannedGpu> CurrentPlan() =>
        Gpus.Select(g => new PlannedGpu(g.Node.Name, g.Index, g.Product.Name, g.CurrentSlices));

    /// <summary>
    /// The cluster's GPUs with their products and current layouts; a node listed twice, an unknown product, a GPU index
    /// out of range or an invalid current layout is a <see cref="PlanningInputException"/> naming the node.
    /// </summary>
    internal static List<GpuSlot> ResolveGpus(ClusterInventory cluster, GpuCatalog catalog)
    {
        var slots = new List<GpuSlot>();
        var names = new HashSet<string>();
        foreach (var node in cluster.Nodes.OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            if (!names.Add(node.Name))
            {
                throw new PlanningInputException($"node {node.Name} is listed twice");
            }

            if (node.GpuCount < 0)
            {
                throw new PlanningInputException($"node {node.Name}: gpuCount = {node.GpuCount} must not be negative");
            }

            if (!catalog.TryResolve(node.GpuProduct, out var product))
            {
                throw new PlanningInputException($"node {node.Name}: gpuProduct = {node.GpuProduct} is not a known MIG-capable product ({string.Join(", ", catalog.Products.SelectMany(p => p.ProductLabels))})");
            }

            foreach (var state in node.Gpus)
            {
                if (state.Index < 0 || state.Index >= node.GpuCount)
                {
                    throw new PlanningInputException($"node {node.Name}: gpus[].index = {state.Index} is outside 0..{node.GpuCount - 1}");
                }
            }

            for (var i = 0; i < node.GpuCount; i++)
            {
                var state = node.Gpus.FirstOrDefault(g => g.Index == i);
                var slices = state?.Slices ?? [];
                slots.Add(new GpuSlot(node, i, product, CurrentLayout(node, i, product, slices), slices));
            }
        }

        return slots;
    }

    private static MigLayout CurrentLayout(NodeInventory node, int index, GpuProduct product, ImmutableArray<PlacedSlice> slices)
    {
        var mig = new List<MigSlice>();
        foreach (var slice in slices)
        {
            var profile = product.FindProfile(slice.Profile)
                ?? throw new PlanningInputException($"node {node.Name} gpu {index}: profile {slice.Profile} does not exist on {product.Name} ({string.Join(", ", product.Profiles.Select(p => p.Name))})");
            mig.Add(new MigSlice(profile, slice.Start));
        }

        return MigLayout.TryCreate(product, mig, out var layout, out var error)
            ? layout
            : throw new PlanningInputException($"node {node.Name} gpu {index}: current layout is invalid: {error}");
    }

    private UnmetService? Diagnose(ServiceDemand service, int s)
    {
        var products = Gpus.Where(g => Eligible(s, g.Node)).Select(g => g.Product).Distinct().ToList();
        if (products.Count == 0)
        {
            return new UnmetService(service.Name, UnmetReason.NoMatchingNode, "spec.placement.nodeSelector", $"no GPU node matches spec.placement.nodeSelector {Format(service.NodeSelector)}", service.RequestsPerSecond);
        }

        if (!products.Any(p => CapacityModel.TableFor(service, p) is not null))
        {
            return new UnmetService(service.Name, UnmetReason.NoProfileForProduct, "spec.profile.gpuProduct", $"spec.profile has latencies for {string.Join(", ", service.Latencies.Select(t => t.GpuProduct))} but the cluster has {string.Join(", ", products.Select(p => p.Name))}; no profile is invented", service.RequestsPerSecond);
        }

        if (products.All(p => OptionsFor(s, p).Count == 0))
        {
            var largest = products.SelectMany(p => p.PlannableProfiles).Max(p => p.MemoryMiB);
            return service.MemoryMiB > largest
                ? new UnmetService(service.Name, UnmetReason.ModelTooLarge, "spec.model.memoryMiB", service.MemoryEstimated
                    ? $"spec.model.memoryMiB is not given, and the estimate from spec.profile.estimate (weightMiB + activationMiBPerSample x maxBatchSize = {service.MemoryMiB} MiB) is larger than every slice (largest {largest} MiB); give spec.model.memoryMiB or a smaller maxBatchSize"
                    : $"spec.model.memoryMiB = {service.MemoryMiB} is larger than every slice (largest {largest} MiB)", service.RequestsPerSecond)
                : new UnmetService(service.Name, UnmetReason.SloUnattainable, "spec.slo.latencyMs", $"spec.slo.latencyMs = {service.SloMs}: no allowed, measured profile runs any request size within beta x SLO = {Model.ExecutionBudgetMs(service):0.###} ms", service.RequestsPerSecond);
        }

        var missing = Enumerable.Range(0, service.Sizes.Length).Where(c => service.Sizes[c].Weight > 0 && !ClassServable(s, c)).ToList();
        if (missing.Count == 0)
        {
            return null;
        }

        var share = missing.Sum(c => service.Sizes[c].Weight);
        var detail = string.Join("; ", missing.Select(c => FastestFor(service, products, c)));
        return new UnmetService(service.Name, UnmetReason.SloUnattainable, "spec.slo.latencyMs", $"spec.slo.latencyMs = {service.SloMs}: {detail}; beta x SLO = {Model.ExecutionBudgetMs(service):0.###} ms", share * service.RequestsPerSecond);
    }

    private static string FastestFor(ServiceDemand service, List<GpuProduct> products, int c)
    {
        var size = service.Sizes[c].Size;
        var best = products
            .SelectMany(p => p.PlannableProfiles.Select(profile => (profile, ms: CapacityModel.TableFor(service, p)?.Milliseconds(profile.Name, size))))
            .Where(x => x.ms.HasValue && (service.AllowedProfiles.IsEmpty || service.AllowedProfiles.Contains(x.profile.Name)))
            .OrderBy(x => x.ms)
            .FirstOrDefault();
        return best.ms is { } ms
            ? $"requests of {size} samples take {ms:0.###} ms even on {best.profile.Name}"
            : $"requests of {size} samples have no allowed measured profile";
    }

    private static string Format(ImmutableDictionary<string, string> selector) =>
        "{" + string.Join(", ", selector.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}: {kv.Value}")) + "}";
}

using MigInfer.Planning.Capacity;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Planners;

namespace MigInfer.Planning.Baselines;

/// <summary>
/// What a baseline has given one service so far, judged by the same capacity model (and LP) that
/// <see cref="PlanBuilder"/> uses, so a baseline stops exactly when the plan it builds reports the
/// service met. Capacity with one more slice is cached until the service's slices change.
/// </summary>
internal sealed class ServiceLedger
{
    private readonly PlanningIndex _index;
    private readonly Dictionary<ProfileOption, int> _counts = [];
    private readonly Dictionary<ProfileOption, double> _withOneMore = [];
    private readonly double _meanCostMs;
    private readonly bool[] _servable;

    public ServiceLedger(PlanningIndex index, int service)
    {
        _index = index;
        Service = service;
        var demand = index.Services[service];
        Active = index.Unservable[service] is not { } unmet || unmet.ShortfallRps < demand.RequestsPerSecond;
        var options = index.Products.SelectMany(p => index.OptionsFor(service, p)).ToList();
        _servable = [.. Enumerable.Range(0, demand.Sizes.Length).Select(c => index.ClassServable(service, c))];
        var servable = Enumerable.Range(0, demand.Sizes.Length).Where(c => _servable[c]).ToList();
        _meanCostMs = servable.Count == 0 ? 1 : servable.Sum(c =>
            demand.Sizes[c].Weight * options.Where(o => o.RequestCostMs[c].HasValue).Min(o => o.RequestCostMs[c]!.Value));
    }

    public int Service { get; }

    /// <summary>False when no plan on this cluster can serve any of the service's load.</summary>
    public bool Active { get; }

    public double Capacity { get; private set; }

    public int Slices { get; private set; }

    private double Demand => _index.Services[Service].RequestsPerSecond;

    private int MinSlices => _index.Services[Service].MinSlices;

    /// <summary>Met as <see cref="PlanBuilder"/> judges it, plus the service's minimum slice count.</summary>
    public bool Met => !Active || (Capacity >= Demand * (1 - 1e-6) && Slices >= MinSlices);

    /// <summary>Unmet load in milliseconds of slice time per second, at the service's cheapest per-request costs.</summary>
    public double NeedMs => Met ? 0 : Math.Max(Demand - Capacity, 0) * _meanCostMs + (Slices < MinSlices ? 1e-3 : 0);

    /// <summary>The option for this profile on this product, or null when the service cannot use it.</summary>
    public ProfileOption? Option(GpuProduct product, MigProfile profile) =>
        _index.OptionsFor(Service, product).FirstOrDefault(o => o.Profile == profile);

    /// <summary>Capacity (requests per second) one more slice of this option adds, counted only up to the demand.</summary>
    public double Gain(ProfileOption option)
    {
        if (!_withOneMore.TryGetValue(option, out var capacity))
        {
            capacity = Evaluate(option);
            _withOneMore[option] = capacity;
        }

        return Math.Min(capacity, Demand) - Math.Min(Capacity, Demand);
    }

    /// <summary>Whether one more slice of this option brings the service closer to being met.</summary>
    public bool Helps(ProfileOption option) =>
        !Met && (Slices < MinSlices || Gain(option) > 1e-9 * Math.Max(1, Demand));

    public void Add(ProfileOption option)
    {
        Gain(option);
        Capacity = _withOneMore[option];
        _counts[option] = _counts.GetValueOrDefault(option) + 1;
        Slices++;
        _withOneMore.Clear();
    }

    private double Evaluate(ProfileOption extra)
    {
        var slices = _counts.Select(kv => (kv.Key, kv.Value + (kv.Key == extra ? 1 : 0))).ToList();
        if (!_counts.ContainsKey(extra))
        {
            slices.Add((extra, 1));
        }

        return ServiceEvaluator.Evaluate(_index.Services[Service], slices, _index.Problem.Policy.Rho, c => _servable[c]).CapacityRps;
    }
}

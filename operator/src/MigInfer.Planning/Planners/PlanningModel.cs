using Google.OrTools.Sat;
using MigInfer.Planning.Capacity;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Layouts;
using MigInfer.Planning.Plans;

namespace MigInfer.Planning.Planners;

/// <summary>
/// The CP-SAT model of one planning problem over GPU groups.
/// <list type="bullet">
/// <item>y[g,l]: GPUs of group g used with layout l; the rest of the group stays unused with its current layout.</item>
/// <item>z[g,p,s]: profile-p slices of group g given to service s, at most the layouts provide.</item>
/// <item>x[s,c,k]: demand units of request class c routed to option k (product, profile); about <see cref="Units"/> × the class's weight units per class.</item>
/// <item>busy: Σ_c x·cost ≤ Rho · slices, in integer tens of nanoseconds per second.</item>
/// <item>shortfall[s,c]: demand no slice takes; phase 1 minimises it, phase 2 holds it at the level phase 1 settled on.</item>
/// </list>
/// </summary>
internal sealed class PlanningModel
{
    // Demand in units of about 1/10,000 of a service's rate and busy time in tens of nanoseconds: each unit's cost is
    // its exact share of its class's rate, rounded up, which keeps plans safe and adds at most 0.1 ms per second of a
    // slice, so CP-SAT needs no more slices than the continuous evaluation of the same capacity model
    // (ServiceEvaluator) says suffice. At 1/1,000 and microseconds, thirds of a tightly packed load overflowed seven
    // 1g slices that the all-1g baseline filled, and CP-SAT opened one GPU more; rounding each class's unit count up
    // (its demand, not its cost) asked up to 0.06 % too much of a six-class service, one GPU more at a service
    // packed to 99.97 % (docs/benchmarks.md, "Are the homogeneous baselines as good as their layouts allow?").
    public const int Units = 10_000;

    /// <summary>Less unserved demand than this (a thousandth of one service's rate) is not worth moving running slices for.</summary>
    public const long MaterialShortfall = Units / 1000;

    private const double TimeScale = 100_000.0;

    private readonly PlanningIndex _index;
    private readonly List<LinearExpr> _shortfall = [];
    private readonly List<(IntVar Var, long Coefficient)> _churn = [];
    private readonly List<(IntVar Var, long Coefficient)> _spare = [];
    private readonly List<IntVar> _used = [];

    public PlanningModel(PlanningIndex index, IReadOnlyList<GpuGroup> groups)
    {
        _index = index;
        Groups = groups;
        Y = groups.Select((g, gi) => g.Layouts.Select((_, li) => Model.NewIntVar(0, g.Count, $"y{gi}_{li}")).ToArray()).ToArray();
        Build();
    }

    public CpModel Model { get; } = new();

    public IReadOnlyList<GpuGroup> Groups { get; }

    /// <summary>Y[g][l] is the number of GPUs in group g that take layout Groups[g].Layouts[l].</summary>
    public IntVar[][] Y { get; }

    /// <summary>Z[(g, profile, s)] is the number of slices of that profile in group g given to service s.</summary>
    public Dictionary<(int Group, MigProfile Profile, int Service), IntVar> Z { get; } = [];

    public LinearExpr Shortfall => LinearExpr.Sum(_shortfall);

    /// <summary>GPUs used: the phase-2 objective.</summary>
    public LinearExpr GpusUsed => LinearExpr.Sum(_used);

    /// <summary>
    /// Phase-3 objective, with the GPU count already fixed: least churn (GpuChangeWeight per GPU
    /// re-laid out, one per running slice moved), then most compute slices put to work. The churn
    /// weight exceeds the largest possible spare term, so the order is lexicographic.
    /// </summary>
    public LinearExpr Cost()
    {
        long maxSpare = (7L * Groups.Sum(g => g.Count)) + 1;
        var terms = LinearExpr.NewBuilder();
        foreach (var (v, c) in _churn)
        {
            terms.AddTerm(v, c * maxSpare);
        }

        foreach (var (v, c) in _spare)
        {
            terms.AddTerm(v, -c);
        }

        return terms;
    }

    /// <summary>
    /// Hints the current state: every group keeps its layout and owners. The routing is left to the
    /// solver (<see cref="CpSatPlanner"/> completes it with these hints fixed). False when nothing runs yet.
    /// </summary>
    public bool HintCurrent()
    {
        var y = Groups.Select(g => new int[g.Layouts.Count]).ToArray();
        var anyInUse = false;
        for (var g = 0; g < Groups.Count; g++)
        {
            var group = Groups[g];
            if (group.Members[0].CurrentSlices.Any(s => s.Service is not null))
            {
                y[g][group.LayoutIndex(group.Current)] = group.Count;
                anyInUse = true;
            }
        }

        HintLayouts(y, key => Groups[key.Group].Count * Groups[key.Group].CurrentOwned(key.Profile, _index.Services[key.Service].Name));
        return anyInUse;
    }

    /// <summary>
    /// Hints another plan's layouts and owners (a heuristic's), its routing left to the solver as for
    /// <see cref="HintCurrent"/>. False, hinting nothing, when one of its GPUs or layouts is not in the model.
    /// </summary>
    public bool HintPlan(IEnumerable<PlannedGpu> gpus)
    {
        var groupOf = new Dictionary<(string Node, int Index), int>();
        for (var g = 0; g < Groups.Count; g++)
        {
            foreach (var member in Groups[g].Members)
            {
                groupOf[(member.Node.Name, member.Index)] = g;
            }
        }

        var serviceOf = _index.Services.Select((x, i) => (x.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var y = Groups.Select(g => new int[g.Layouts.Count]).ToArray();
        var owned = new Dictionary<(int Group, MigProfile Profile, int Service), int>();
        foreach (var gpu in gpus.Where(x => x.Used))
        {
            if (!groupOf.TryGetValue((gpu.Node, gpu.Index), out var g))
            {
                return false;
            }

            var group = Groups[g];
            var slices = gpu.Slices.Select(x => (Slice: x, Profile: group.Product.FindProfile(x.Profile))).ToList();
            if (slices.Any(x => x.Profile is null) || !MigLayout.TryCreate(group.Product, slices.Select(x => new MigSlice(x.Profile!, x.Slice.Start)), out var layout, out _))
            {
                return false;
            }

            var l = group.LayoutIndex(layout);
            if (l < 0)
            {
                return false;
            }

            y[g][l]++;
            foreach (var (slice, profile) in slices.Where(x => x.Slice.Service is not null))
            {
                if (!serviceOf.TryGetValue(slice.Service!, out var s) || !Z.ContainsKey((g, profile!, s)))
                {
                    return false;
                }

                owned[(g, profile!, s)] = owned.GetValueOrDefault((g, profile!, s)) + 1;
            }
        }

        HintLayouts(y, key => owned.GetValueOrDefault(key));
        return true;
    }

    private void HintLayouts(int[][] y, Func<(int Group, MigProfile Profile, int Service), int> slices)
    {
        Model.ClearHints();
        for (var g = 0; g < Groups.Count; g++)
        {
            for (var l = 0; l < Groups[g].Layouts.Count; l++)
            {
                Model.AddHint(Y[g][l], y[g][l]);
            }
        }

        foreach (var (key, z) in Z)
        {
            Model.AddHint(z, slices(key));
        }
    }

    private void Build()
    {
        for (var g = 0; g < Groups.Count; g++)
        {
            BuildGroup(g);
        }

        for (var s = 0; s < _index.Services.Length; s++)
        {
            BuildService(s);
        }
    }

    private void BuildGroup(int g)
    {
        var group = Groups[g];
        Model.Add(LinearExpr.Sum(Y[g]) <= group.Count);
        _used.AddRange(Y[g]);
        foreach (var profile in group.Product.PlannableProfiles)
        {
            var provided = LinearExpr.NewBuilder();
            var maxPerGpu = 0;
            for (var l = 0; l < group.Layouts.Count; l++)
            {
                var count = group.Layouts[l].Count(profile);
                provided.AddTerm(Y[g][l], count);
                maxPerGpu = Math.Max(maxPerGpu, count);
            }

            var given = new List<IntVar>();
            foreach (var s in group.EligibleServices)
            {
                if (_index.OptionsFor(s, group.Product).Any(o => o.Profile == profile))
                {
                    var z = Model.NewIntVar(0, group.Count * maxPerGpu, $"z{g}_{profile.Name}_{s}");
                    Z[(g, profile, s)] = z;
                    given.Add(z);
                    _spare.Add((z, profile.ComputeSlices));
                }
            }

            if (given.Count > 0)
            {
                Model.Add(LinearExpr.Sum(given) <= provided);
            }
        }

        AddChurn(g);
    }

    private void AddChurn(int g)
    {
        var group = Groups[g];
        if (group.Current.IsEmpty)
        {
            return;
        }

        var keep = group.LayoutIndex(group.Current);
        for (var l = 0; l < group.Layouts.Count; l++)
        {
            if (l != keep)
            {
                _churn.Add((Y[g][l], _index.Problem.Policy.GpuChangeWeight));
            }
        }

        // A running slice stays put only on a GPU that keeps its layout and only while its service keeps
        // that many slices of the profile in the group: kept ≤ owned·y[keep], kept ≤ z. Moved = owned − kept.
        foreach (var (profile, owner) in group.Members[0].CurrentSlices
                     .Where(s => s.Service is not null)
                     .Select(s => (group.Product.FindProfile(s.Profile)!, s.Service!))
                     .Distinct())
        {
            var owned = group.CurrentOwned(profile, owner);
            var s = _index.Services.IndexOf(_index.Services.FirstOrDefault(x => x.Name == owner)!);
            if (s < 0 || !Z.TryGetValue((g, profile, s), out var z))
            {
                continue;
            }

            var kept = Model.NewIntVar(0, owned * group.Count, $"kept{g}_{profile.Name}_{s}");
            Model.Add(kept <= owned * Y[g][keep]);
            Model.Add(kept <= z);
            _churn.Add((kept, -1));
        }
    }

    private void BuildService(int s)
    {
        var service = _index.Services[s];
        if (_index.Unservable[s] is { } unmet && unmet.ShortfallRps >= service.RequestsPerSecond)
        {
            return;
        }

        var options = new List<(int Key, ProfileOption Option, LinearExpr Slices)>();
        foreach (var product in _index.Products)
        {
            foreach (var option in _index.OptionsFor(s, product))
            {
                var slices = Z.Where(kv => kv.Key.Service == s && kv.Key.Profile == option.Profile && Groups[kv.Key.Group].Product == product)
                    .Select(kv => kv.Value).ToList();
                if (slices.Count > 0)
                {
                    options.Add((options.Count, option, LinearExpr.Sum(slices)));
                }
            }
        }

        if (service.MinSlices > 0)
        {
            // Keeping a service up is worth as much as all of its traffic.
            var missing = Model.NewIntVar(0, service.MinSlices, $"minShort{s}");
            Model.Add(LinearExpr.Sum(options.Select(o => o.Slices)) + missing >= service.MinSlices);
            _shortfall.Add(missing * Units);
        }

        if (service.RequestsPerSecond <= 0)
        {
            return;
        }

        var busy = options.Select(_ => LinearExpr.NewBuilder()).ToArray();
        for (var c = 0; c < service.Sizes.Length; c++)
        {
            var weight = service.Sizes[c].Weight;
            if (weight <= 0 || !_index.ClassServable(s, c))
            {
                continue;
            }

            // The class in about Units × weight units (at least one); a unit's busy time is taken from the class's
            // own rate, so rounding the count changes only how finely the class is split, never how much it asks.
            var demand = Math.Max(1L, (long)Math.Round(Units * weight));
            var unitRate = service.RequestsPerSecond * weight / demand;
            var routed = LinearExpr.NewBuilder();
            foreach (var (key, option, _) in options)
            {
                if (option.RequestCostMs[c] is { } cost)
                {
                    var x = Model.NewIntVar(0, demand, $"x{s}_{c}_{key}");
                    routed.Add(x);
                    busy[key].AddTerm(x, (long)Math.Ceiling(unitRate * cost * TimeScale));
                }
            }

            var shortfall = Model.NewIntVar(0, demand, $"short{s}_{c}");
            Model.Add(routed + shortfall == demand);
            _shortfall.Add(shortfall);
        }

        var perSlice = (long)Math.Floor(_index.Problem.Policy.Rho * 1000.0 * TimeScale);
        foreach (var (key, _, slices) in options)
        {
            Model.Add(busy[key] <= slices * perSlice);
        }
    }
}

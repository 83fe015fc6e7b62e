using MigInfer.Planning.Capacity;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Layouts;
using MigInfer.Planning.Model;

namespace MigInfer.Planning.Tests.Fixtures;

/// <summary>
/// A reference for tiny problems (one product, no node selectors, up to 3 GPUs and 3 services) that
/// tries every layout per GPU (every maximal layout of the profiles the services can use, the GPU's
/// current layout, or unused) and every split of the slices among services, judged by the capacity
/// model's LP (<see cref="ServiceEvaluator"/>). Per service it keeps the minimal slice-count vectors
/// that meet the demand (capacity is monotone in slices), so owners need not be enumerated one
/// slice at a time; running slices kept by their owner are counted exactly (a matching per profile).
/// </summary>
internal sealed class ExhaustiveSearch
{
    private readonly PlanningProblem _problem;
    private readonly GpuProduct _product;
    private readonly MigProfile[] _profiles;
    private readonly List<int[]> _layouts;
    private readonly List<MigLayout> _layoutObjects;
    private readonly List<(int Current, int[,] Owned, int OwnedTotal)> _gpus = [];
    private readonly List<int[]>[] _minimal;
    private readonly Dictionary<string, int> _keptMemo = [];

    private ExhaustiveSearch(PlanningProblem problem, double loadFactor)
    {
        _problem = problem;
        _product = GpuCatalog.Default.Resolve(problem.Cluster.Nodes.Select(n => n.GpuProduct).Distinct().Single());
        var model = new CapacityModel(problem.Policy);
        var options = problem.Services.Select(s => model.Options(s, _product)).ToList();
        _profiles = [.. options.SelectMany(o => o).Select(o => o.Profile).Distinct().OrderByDescending(p => p.ComputeSlices).ThenByDescending(p => p.MemorySlices)];
        _layoutObjects = [.. LayoutEnumerator.Maximal(_product, _profiles)];
        foreach (var node in problem.Cluster.Nodes.OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            for (var i = 0; i < node.GpuCount; i++)
            {
                var state = node.Gpus.FirstOrDefault(g => g.Index == i)?.Slices ?? [];
                var current = MigLayout.Create(_product, state.Select(s => new MigSlice(_product.FindProfile(s.Profile)!, s.Start)));
                var at = _layoutObjects.IndexOf(current);
                if (at < 0 && !current.IsEmpty)
                {
                    at = _layoutObjects.Count;
                    _layoutObjects.Add(current);
                }

                var owned = new int[problem.Services.Length, _profiles.Length];
                foreach (var slice in state.Where(s => s.Service is not null))
                {
                    var s = problem.Services.IndexOf(problem.Services.FirstOrDefault(x => x.Name == slice.Service)!);
                    var p = Array.FindIndex(_profiles, x => x.Name == slice.Profile);
                    if (s >= 0 && p >= 0)
                    {
                        owned[s, p]++;
                    }
                }

                _gpus.Add((at, owned, state.Count(s => s.Service is not null)));
            }
        }

        _layouts = [.. _layoutObjects.Select(l => _profiles.Select(l.Count).ToArray())];
        _minimal = [.. problem.Services.Select((s, i) => MinimalVectors(s, options[i], loadFactor))];
    }

    /// <summary>The least GPUs used, then the least churn (as <see cref="PlanChecks.Churn"/> counts it); null if no plan meets every SLO.</summary>
    public static (int GpusUsed, int Churn)? Solve(PlanningProblem problem, double loadFactor = 1.0) =>
        new ExhaustiveSearch(problem, loadFactor).Search();

    private (int, int)? Search()
    {
        if (_minimal.Any(m => m.Count == 0))
        {
            return null;
        }

        (int Used, int Churn)? best = null;
        var choice = new int[_gpus.Count];
        var combos = (int)Math.Pow(_layouts.Count + 1, _gpus.Count);
        var ownedTotal = _gpus.Sum(g => g.OwnedTotal);
        for (var code = 0; code < combos; code++)
        {
            var rest = code;
            for (var g = 0; g < choice.Length; g++)
            {
                choice[g] = (rest % (_layouts.Count + 1)) - 1;
                rest /= _layouts.Count + 1;
            }

            var used = choice.Count(c => c >= 0);
            var changed = choice.Where((c, g) => c >= 0 && _gpus[g].Current >= 0 && c != _gpus[g].Current).Count();
            var lowerBound = (used, _problem.Policy.GpuChangeWeight * changed);
            if (best is { } b && lowerBound.CompareTo(b) >= 0)
            {
                continue;
            }

            var total = new int[_profiles.Length];
            var keepable = new int[_problem.Services.Length, _profiles.Length];
            for (var g = 0; g < choice.Length; g++)
            {
                if (choice[g] < 0)
                {
                    continue;
                }

                for (var p = 0; p < _profiles.Length; p++)
                {
                    total[p] += _layouts[choice[g]][p];
                    for (var s = 0; s < _problem.Services.Length && choice[g] == _gpus[g].Current; s++)
                    {
                        keepable[s, p] += _gpus[g].Owned[s, p];
                    }
                }
            }

            var kept = MaxKept(total, keepable);
            if (kept >= 0)
            {
                var candidate = (used, lowerBound.Item2 + ownedTotal - kept);
                if (best is null || candidate.CompareTo(best.Value) < 0)
                {
                    best = candidate;
                }
            }
        }

        return best;
    }

    /// <summary>Most running slices kept by their owners over splits of <paramref name="total"/> that meet every service; -1 if none.</summary>
    private int MaxKept(int[] total, int[,] keepable)
    {
        var key = string.Join(',', total) + "|" + string.Join(',', keepable.Cast<int>());
        if (!_keptMemo.TryGetValue(key, out var kept))
        {
            kept = Split(0, total, new int[_problem.Services.Length][], keepable);
            _keptMemo[key] = kept;
        }

        return kept;
    }

    private int Split(int s, int[] left, int[][] chosen, int[,] keepable)
    {
        if (s == chosen.Length)
        {
            var kept = 0;
            for (var p = 0; p < left.Length; p++)
            {
                var wanted = 0;
                for (var x = 0; x < chosen.Length; x++)
                {
                    kept += Math.Min(chosen[x][p], keepable[x, p]);
                    wanted += Math.Max(0, keepable[x, p] - chosen[x][p]);
                }

                kept += Math.Min(left[p], wanted);
            }

            return kept;
        }

        var best = -1;
        foreach (var vector in _minimal[s])
        {
            if (vector.Where((n, p) => n > left[p]).Any())
            {
                continue;
            }

            chosen[s] = vector;
            best = Math.Max(best, Split(s + 1, [.. left.Select((n, p) => n - vector[p])], chosen, keepable));
        }

        return best;
    }

    /// <summary>The Pareto-minimal slice counts (per profile) that meet the service within the cluster's room.</summary>
    private List<int[]> MinimalVectors(ServiceDemand service, IReadOnlyList<ProfileOption> options, double loadFactor)
    {
        var bound = _profiles.Select((_, p) => _layouts.Max(l => l[p]) * _gpus.Count).ToArray();
        var rooms = 7 * _gpus.Count;
        var found = new List<int[]>();
        var vector = new int[_profiles.Length];
        bool Feasible(int[] v)
        {
            var slices = _profiles.Select((p, i) => (Option: options.FirstOrDefault(o => o.Profile == p), Count: v[i]))
                .Where(x => x.Count > 0 && x.Option is not null).Select(x => (x.Option!, x.Count)).ToList();
            return slices.Sum(x => x.Count) >= service.MinSlices
                && (service.RequestsPerSecond <= 0
                    || ServiceEvaluator.Evaluate(service, slices, _problem.Policy.Rho, _ => true).CapacityRps >= loadFactor * service.RequestsPerSecond * (1 - 1e-6));
        }

        void Walk(int p, int compute)
        {
            if (p == _profiles.Length - 1)
            {
                var max = Math.Min(bound[p], (rooms - compute) / _profiles[p].ComputeSlices);
                vector[p] = max;
                if (!Feasible(vector))
                {
                    return;
                }

                var (lo, hi) = (0, max);
                while (lo < hi)
                {
                    vector[p] = (lo + hi) / 2;
                    (lo, hi) = Feasible(vector) ? (lo, vector[p]) : (vector[p] + 1, hi);
                }

                vector[p] = lo;
                found.Add([.. vector]);
                return;
            }

            for (var n = 0; n <= bound[p] && compute + (n * _profiles[p].ComputeSlices) <= rooms; n++)
            {
                vector[p] = n;
                Walk(p + 1, compute + (n * _profiles[p].ComputeSlices));
            }

            vector[p] = 0;
        }

        if (_profiles.Length > 0)
        {
            Walk(0, 0);
        }

        return [.. found.Where(v => !found.Any(o => o != v && o.Zip(v).All(x => x.First <= x.Second) && !o.SequenceEqual(v)))];
    }
}

using MigInfer.Planning.Catalog;
using MigInfer.Planning.Layouts;
using MigInfer.Planning.Model;
using MigInfer.Planning.Plans;
using MigInfer.Planning.Planners;

namespace MigInfer.Planning.Baselines;

/// <summary>
/// The slices a baseline has placed on each GPU, as multisets of (service, profile). A multiset fits
/// a GPU when one of the permitted layouts of its product holds at least that many slices of every
/// profile; since any subset of a valid layout is valid, the plan then takes that layout with its
/// explicit starts, so every baseline plan is valid by construction.
/// </summary>
internal sealed class SliceBook
{
    private readonly PlanningIndex _index;
    private readonly Dictionary<string, (MigProfile[] Profiles, List<(MigLayout Layout, int[] Counts)> Layouts)> _products = [];
    private readonly List<(int Service, MigProfile Profile)>[] _placed;
    private readonly int[][] _counts;
    private readonly List<int> _roomy = [];
    private int _firstClosed;

    /// <param name="index">The resolved problem.</param>
    /// <param name="layouts">The layouts a GPU of a product may take (the homogeneous baselines permit one).</param>
    public SliceBook(PlanningIndex index, Func<GpuProduct, IReadOnlyList<MigLayout>> layouts)
    {
        _index = index;
        foreach (var product in index.Products)
        {
            var profiles = product.PlannableProfiles.ToArray();
            var permitted = layouts(product).Select(l => (l, profiles.Select(l.Count).ToArray())).ToList();
            _products[product.Name] = (profiles, permitted);
        }

        _placed = [.. index.Gpus.Select(_ => new List<(int, MigProfile)>())];
        _counts = [.. index.Gpus.Select(g => new int[_products[g.Product.Name].Profiles.Length])];
    }

    /// <summary>Open GPUs on which at least one more slice of some profile still fits, in inventory order.</summary>
    public IReadOnlyList<int> Roomy => _roomy;

    public bool IsOpen(int gpu) => _placed[gpu].Count > 0;

    public GpuSlot Gpu(int gpu) => _index.Gpus[gpu];

    /// <summary>Whether service s may run on this GPU's node.</summary>
    public bool Eligible(int gpu, int service) => _index.Eligible(service, _index.Gpus[gpu].Node);

    /// <summary>Whether one more slice of <paramref name="profile"/> fits beside what the GPU holds.</summary>
    public bool Fits(int gpu, MigProfile profile)
    {
        var (profiles, layouts) = _products[_index.Gpus[gpu].Product.Name];
        var p = Array.IndexOf(profiles, profile);
        return p >= 0 && layouts.Any(l => Dominates(l.Counts, _counts[gpu], p));
    }

    /// <summary>Profiles of which one more slice still fits on the GPU, largest first.</summary>
    public IEnumerable<MigProfile> FreeProfiles(int gpu) =>
        _products[_index.Gpus[gpu].Product.Name].Profiles.Where(p => Fits(gpu, p)).Reverse();

    public void Place(int gpu, int service, MigProfile profile)
    {
        if (!Fits(gpu, profile))
        {
            throw new InvalidOperationException($"{profile.Name} does not fit on GPU {gpu}; a baseline must check Fits first");
        }

        var opened = !IsOpen(gpu);
        _placed[gpu].Add((service, profile));
        _counts[gpu][Array.IndexOf(_products[_index.Gpus[gpu].Product.Name].Profiles, profile)]++;
        if (opened)
        {
            var at = _roomy.BinarySearch(gpu);
            _roomy.Insert(~at, gpu);
            while (_firstClosed < _placed.Length && IsOpen(_firstClosed))
            {
                _firstClosed++;
            }
        }

        if (!FreeProfiles(gpu).Any())
        {
            _roomy.Remove(gpu);
        }
    }

    /// <summary>
    /// The first GPU of <paramref name="product"/> not yet open (inventory order) that service s may
    /// use and that can hold this profile, or -1.
    /// </summary>
    public int NextClosed(int service, GpuProduct product, MigProfile profile)
    {
        for (var g = _firstClosed; g < _index.Gpus.Count; g++)
        {
            if (!IsOpen(g) && _index.Gpus[g].Product == product && Eligible(g, service) && Fits(g, profile))
            {
                return g;
            }
        }

        return -1;
    }

    /// <summary>
    /// Every GPU of the inventory: open ones take the first permitted layout (the current one when it
    /// is permitted) that holds their slices, with owners on matching profiles; the rest keep their
    /// current layout with no owners, as the CP-SAT planner leaves them.
    /// </summary>
    public IReadOnlyList<PlannedGpu> ToPlan()
    {
        var result = new List<PlannedGpu>();
        for (var g = 0; g < _index.Gpus.Count; g++)
        {
            var gpu = _index.Gpus[g];
            if (!IsOpen(g))
            {
                result.Add(new PlannedGpu(gpu.Node.Name, gpu.Index, gpu.Product.Name, [.. gpu.CurrentSlices.Select(s => s with { Service = null })]));
                continue;
            }

            var layouts = _products[gpu.Product.Name].Layouts;
            var layout = layouts.Where(l => Dominates(l.Counts, _counts[g], -1))
                .OrderByDescending(l => l.Layout.Equals(gpu.Current))
                .First().Layout;
            var pending = _placed[g].OrderBy(x => x.Service).ToList();
            var slices = new List<PlacedSlice>();
            foreach (var slice in layout.Slices)
            {
                var owner = pending.FindIndex(x => x.Profile == slice.Profile);
                string? service = null;
                if (owner >= 0)
                {
                    service = _index.Services[pending[owner].Service].Name;
                    pending.RemoveAt(owner);
                }

                slices.Add(new PlacedSlice(slice.Profile.Name, slice.Start, service));
            }

            result.Add(new PlannedGpu(gpu.Node.Name, gpu.Index, gpu.Product.Name, [.. slices]));
        }

        return result;
    }

    private static bool Dominates(int[] layout, int[] held, int extra)
    {
        for (var p = 0; p < layout.Length; p++)
        {
            if (layout[p] < held[p] + (p == extra ? 1 : 0))
            {
                return false;
            }
        }

        return true;
    }
}

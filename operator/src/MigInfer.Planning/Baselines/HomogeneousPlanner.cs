using MigInfer.Planning.Catalog;
using MigInfer.Planning.Layouts;
using MigInfer.Planning.Model;
using MigInfer.Planning.Plans;
using MigInfer.Planning.Planners;

namespace MigInfer.Planning.Baselines;

/// <summary>
/// Baseline: every GPU it opens takes one fixed layout (all 1g, 3×2g+1g, 2×3g or 7g). Free slices
/// are dealt one at a time to the service with the largest unmet demand (in slice time, at the
/// capacity model's per-request costs) that the slice helps; GPUs are opened in inventory order
/// until every SLO is met or no remaining GPU helps any unmet service.
/// </summary>
public sealed class HomogeneousPlanner(HomogeneousLayout layout, GpuCatalog catalog) : IPlanner
{
    public HomogeneousPlanner(HomogeneousLayout layout) : this(layout, GpuCatalog.Default) { }

    public HomogeneousLayout Layout { get; } = layout;

    public string Name => Layout switch
    {
        HomogeneousLayout.AllOneG => "homogeneous-7x1g",
        HomogeneousLayout.TwoGAndOneG => "homogeneous-3x2g+1g",
        HomogeneousLayout.AllThreeG => "homogeneous-2x3g",
        _ => "homogeneous-1x7g",
    };

    public MigPlanResult Plan(PlanningProblem problem)
    {
        var index = new PlanningIndex(problem, catalog);
        var book = new SliceBook(index, product => LayoutFor(product) is { } l ? [l] : []);
        var ledgers = Enumerable.Range(0, index.Services.Length).Select(s => new ServiceLedger(index, s)).ToList();
        var useless = new HashSet<string>();
        while (ledgers.Any(l => !l.Met))
        {
            if (Deal(book, ledgers, book.Roomy))
            {
                useless.Clear();
                continue;
            }

            if (!OpenNext(index, book, ledgers, useless))
            {
                break;
            }
        }

        return PlanBuilder.Build(index, book.ToPlan(), Name, "Heuristic");
    }

    /// <summary>The candidate layout of this shape on the product, or null when the product has none.</summary>
    public MigLayout? LayoutFor(GpuProduct product) =>
        PlanningIndex.CandidateLayouts(product).FirstOrDefault(l => Layout switch
        {
            HomogeneousLayout.AllOneG => l.Slices.Length == 7 && l.Slices.All(s => s.Profile is { ComputeSlices: 1, MemorySlices: 1 }),
            HomogeneousLayout.TwoGAndOneG => l.Slices.Count(s => s.Profile.ComputeSlices == 2) == 3
                && l.Slices.Count(s => s.Profile is { ComputeSlices: 1, MemorySlices: 1 }) == 1 && l.Slices.Length == 4,
            HomogeneousLayout.AllThreeG => l.Slices.Length == 2 && l.Slices.All(s => s.Profile.ComputeSlices == 3),
            _ => l.Slices.Length == 1 && l.Slices[0].Profile.ComputeSlices == 7,
        });

    /// <summary>Gives one free slice on these GPUs to the neediest service it helps.</summary>
    private static bool Deal(SliceBook book, List<ServiceLedger> ledgers, IReadOnlyList<int> gpus)
    {
        foreach (var ledger in ledgers.Where(l => !l.Met).OrderByDescending(l => l.NeedMs).ThenBy(l => l.Service))
        {
            foreach (var g in gpus)
            {
                if (!book.Eligible(g, ledger.Service))
                {
                    continue;
                }

                foreach (var profile in book.FreeProfiles(g))
                {
                    if (ledger.Option(book.Gpu(g).Product, profile) is { } option && ledger.Helps(option))
                    {
                        book.Place(g, ledger.Service, profile);
                        ledger.Add(option);
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Opens the next GPU on which some unmet service gets a helpful slice. A GPU that helps no one
    /// leaves the state unchanged, so others of the same product and eligibility are skipped too.
    /// </summary>
    private static bool OpenNext(PlanningIndex index, SliceBook book, List<ServiceLedger> ledgers, HashSet<string> useless)
    {
        for (var g = 0; g < index.Gpus.Count; g++)
        {
            if (book.IsOpen(g))
            {
                continue;
            }

            var key = $"{index.Gpus[g].Product.Name}|{string.Join(',', ledgers.Where(l => book.Eligible(g, l.Service)).Select(l => l.Service))}";
            if (useless.Contains(key))
            {
                continue;
            }

            if (Deal(book, ledgers, [g]))
            {
                return true;
            }

            useless.Add(key);
        }

        return false;
    }
}

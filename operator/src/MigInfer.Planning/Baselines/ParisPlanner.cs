using MigInfer.Planning.Capacity;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Model;
using MigInfer.Planning.Plans;
using MigInfer.Planning.Planners;

namespace MigInfer.Planning.Baselines;

/// <summary>
/// Baseline: the PARIS partitioning heuristic (Kim, Choi, Rhu, DAC 2022) as we read it; the paper's
/// abstract and patent give the flow, not every rule. Knee per profile, batch-size range per
/// profile, slice counts n[p] = ceil(D[p] / ρ) (see <see cref="ParisSizing"/>), then first-fit
/// decreasing packing of the slice multiset into valid layouts. A slice that fits no open GPU opens
/// the next one; when none is left it is split into the two largest smaller slices the service can
/// use, which is where the paper merges and splits. (A merge never places what the split cannot on
/// A100/H100 geometry: every hole that fits a profile also fits its split pieces.) Finally, since
/// the knee mapping ignores how slices combine, any service the LP still finds short gets its most
/// effective slice, first-fit, until it is met or nothing fits.
/// </summary>
public sealed class ParisPlanner(GpuCatalog catalog) : IPlanner
{
    public ParisPlanner() : this(GpuCatalog.Default) { }

    public string Name => "paris";

    public MigPlanResult Plan(PlanningProblem problem)
    {
        var index = new PlanningIndex(problem, catalog);
        var book = new SliceBook(index, PlanningIndex.CandidateLayouts);
        var ledgers = Enumerable.Range(0, index.Services.Length).Select(s => new ServiceLedger(index, s)).ToList();
        var homes = ledgers.Select(l => l.Active ? Home(index, l.Service) : null).ToList();

        var slices = new List<(ServiceLedger Ledger, ProfileOption Option)>();
        foreach (var ledger in ledgers)
        {
            if (homes[ledger.Service] is not { } product)
            {
                continue;
            }

            var s = ledger.Service;
            var counts = ParisSizing.SliceCounts(index.Services[s], product, index.OptionsFor(s, product), c => index.ClassServable(s, c), problem.Policy);
            slices.AddRange(counts.SelectMany(kv => Enumerable.Repeat((ledger, kv.Key), kv.Value)));
        }

        foreach (var (ledger, option) in slices
                     .OrderByDescending(x => x.Option.Profile.ComputeSlices)
                     .ThenByDescending(x => x.Option.Profile.MemorySlices)
                     .ThenBy(x => x.Ledger.Service))
        {
            Place(book, ledger, option);
        }

        foreach (var ledger in ledgers)
        {
            while (!ledger.Met && homes[ledger.Service] is { } product)
            {
                var best = index.OptionsFor(ledger.Service, product)
                    .Where(ledger.Helps)
                    .OrderByDescending(o => ledger.Gain(o) / o.Profile.ComputeSlices)
                    .FirstOrDefault();
                if (best is null || !Place(book, ledger, best))
                {
                    break;
                }
            }
        }

        return PlanBuilder.Build(index, book.ToPlan(), Name, "Heuristic");
    }

    /// <summary>The first product, in inventory order, that the service may run on and has options for.</summary>
    private static GpuProduct? Home(PlanningIndex index, int s) =>
        index.Gpus.Where(g => index.Eligible(s, g.Node)).Select(g => g.Product).Distinct()
            .FirstOrDefault(p => index.OptionsFor(s, p).Count > 0);

    /// <summary>First fit on an open GPU, else the next closed one, else split; true if anything was placed.</summary>
    private static bool Place(SliceBook book, ServiceLedger ledger, ProfileOption option)
    {
        var s = ledger.Service;
        var g = book.Roomy.FirstOrDefault(x => book.Gpu(x).Product == option.Product && book.Eligible(x, s) && book.Fits(x, option.Profile), -1);
        if (g < 0)
        {
            g = book.NextClosed(s, option.Product, option.Profile);
        }

        if (g >= 0)
        {
            book.Place(g, s, option.Profile);
            ledger.Add(option);
            return true;
        }

        var placed = false;
        var room = option.Profile.ComputeSlices;
        foreach (var piece in SplitPieces(ledger, option))
        {
            if (piece.Profile.ComputeSlices <= room)
            {
                room -= piece.Profile.ComputeSlices;
                placed |= Place(book, ledger, piece);
            }
        }

        return placed;
    }

    /// <summary>Smaller options of the same product the service can use, largest first.</summary>
    private static IEnumerable<ProfileOption> SplitPieces(ServiceLedger ledger, ProfileOption option) =>
        option.Product.PlannableProfiles
            .Where(p => p.ComputeSlices < option.Profile.ComputeSlices)
            .Reverse()
            .Select(p => ledger.Option(option.Product, p))
            .OfType<ProfileOption>();
}

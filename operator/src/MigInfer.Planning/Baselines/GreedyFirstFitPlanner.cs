using MigInfer.Planning.Capacity;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Model;
using MigInfer.Planning.Plans;
using MigInfer.Planning.Planners;

namespace MigInfer.Planning.Baselines;

/// <summary>
/// Baseline: greedy first-fit. Services are taken one at a time, largest demand (in slice time)
/// first; each gets, one slice at a time, the most cost-effective slice (capacity gained per compute
/// slice, by the capacity model's LP) that still fits beside what an open GPU holds, on the first
/// such GPU; when no helpful slice fits an open GPU, the next GPU is opened for the most
/// cost-effective slice overall.
/// </summary>
public sealed class GreedyFirstFitPlanner(GpuCatalog catalog) : IPlanner
{
    public GreedyFirstFitPlanner() : this(GpuCatalog.Default) { }

    public string Name => "greedy-first-fit";

    public MigPlanResult Plan(PlanningProblem problem)
    {
        var index = new PlanningIndex(problem, catalog);
        var book = new SliceBook(index, PlanningIndex.CandidateLayouts);
        var ledgers = Enumerable.Range(0, index.Services.Length).Select(s => new ServiceLedger(index, s)).ToList();
        foreach (var ledger in ledgers.OrderByDescending(l => l.NeedMs).ThenBy(l => l.Service).ToList())
        {
            while (!ledger.Met)
            {
                if (!PlaceOnOpen(index, book, ledger) && !PlaceOnNew(index, book, ledger))
                {
                    break;
                }
            }
        }

        return PlanBuilder.Build(index, book.ToPlan(), Name, "Heuristic");
    }

    private static bool PlaceOnOpen(PlanningIndex index, SliceBook book, ServiceLedger ledger)
    {
        foreach (var option in Ranked(index, ledger, book.Roomy.Select(g => book.Gpu(g).Product).Distinct()))
        {
            var g = book.Roomy.FirstOrDefault(x => book.Gpu(x).Product == option.Product && book.Eligible(x, ledger.Service) && book.Fits(x, option.Profile), -1);
            if (g >= 0)
            {
                book.Place(g, ledger.Service, option.Profile);
                ledger.Add(option);
                return true;
            }
        }

        return false;
    }

    private static bool PlaceOnNew(PlanningIndex index, SliceBook book, ServiceLedger ledger)
    {
        foreach (var option in Ranked(index, ledger, index.Products))
        {
            var g = book.NextClosed(ledger.Service, option.Product, option.Profile);
            if (g >= 0)
            {
                book.Place(g, ledger.Service, option.Profile);
                ledger.Add(option);
                return true;
            }
        }

        return false;
    }

    /// <summary>Helpful options on these products, most capacity per compute slice first (smallest first on ties).</summary>
    private static List<ProfileOption> Ranked(PlanningIndex index, ServiceLedger ledger, IEnumerable<GpuProduct> products) =>
        products.SelectMany(p => index.OptionsFor(ledger.Service, p))
            .Where(ledger.Helps)
            .OrderByDescending(o => ledger.Gain(o) / o.Profile.ComputeSlices)
            .ThenBy(o => o.Profile.ComputeSlices)
            .ThenBy(o => o.Profile.MemorySlices)
            .ToList();
}

using MigInfer.Planning.Model;
using MigInfer.Planning.Plans;
using Spectre.Console;

namespace MigInfer.Cli.Rendering;

/// <summary>The human-readable plan: GPUs with their slices, services with capacity and latency, what is unmet.</summary>
internal static class PlanTable
{
    public static void Write(MigPlanResult plan, IReadOnlyList<ServiceDemand> services)
    {
        var gpus = new Table().Border(TableBorder.Rounded).Title("[bold]GPUs[/]");
        gpus.AddColumns("node", "gpu", "product", "slices (profile@start service)", "change");
        var changed = plan.Diff.Changes.ToDictionary(c => (c.Node, c.Index));
        foreach (var gpu in plan.Gpus.Where(g => g.Used || changed.ContainsKey((g.Node, g.Index))))
        {
            var slices = string.Join("  ", gpu.Slices.OrderBy(s => s.Start).Select(s => $"{s.Profile}@{s.Start} {s.Service ?? "(idle)"}"));
            var change = changed.GetValueOrDefault((gpu.Node, gpu.Index)) switch
            {
                null => "",
                { From: "(empty)" } => "[green]new layout[/]",
                _ => "[yellow]re-laid out[/]",
            };
            gpus.AddRow(gpu.Node, gpu.Index.ToString(), gpu.Product, Markup.Escape(slices), change);
        }

        AnsiConsole.Write(gpus);
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Services[/]");
        table.AddColumns("service", "slices", "demand rps", "capacity rps", "predicted latency", "SLO");
        foreach (var s in plan.Services)
        {
            var slo = services.First(x => x.Name == s.Service).SloMs;
            var latency = s.PredictedLatencyMs < 0 ? "-" : $"{s.PredictedLatencyMs:0.0} ms{(s.LatencyEstimated ? " (estimate)" : "")}";
            table.AddRow(Markup.Escape(s.Service), Markup.Escape(Slices(s)), $"{s.DemandRps:0.#}", $"{s.CapacityRps:0.#}", latency, $"{slo:0.#} ms");
        }

        AnsiConsole.Write(table);
        foreach (var u in plan.Unmet)
        {
            AnsiConsole.MarkupLine($"[red]unmet[/] {Markup.Escape(u.Service)}: {Markup.Escape(u.Message)} (short by {u.ShortfallRps:0.#} rps)");
        }

        AnsiConsole.MarkupLine(
            $"GPUs used [bold]{plan.GpusUsed}[/] of {plan.Gpus.Length}; {plan.Diff.GpusChanged} to (re)configure, {plan.Diff.SlicesMoved} running slices moved; " +
            $"{plan.Status}, gap {plan.Gap:P2}, solved in {plan.SolveTimeMs} ms (first plan {plan.FirstSolutionMs} ms)");
    }

    /// <summary>Slice counts written like the CRD's SLICES column: <c>3g×1 2g×1 1g×2</c>, full profile names.</summary>
    private static string Slices(ServicePlan s) =>
        s.Slices.Count == 0 ? "-" : string.Join(' ', s.Slices.OrderByDescending(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}×{kv.Value}"));
}

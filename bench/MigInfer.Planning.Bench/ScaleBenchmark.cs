using System.Diagnostics;
using System.Globalization;
using MigInfer.Planning.Model;
using MigInfer.Planning.Planners;

namespace MigInfer.Planning.Bench;

/// <summary>
/// Solve time, time to the first feasible plan, gap and peak working set of the CP-SAT planner
/// as the cluster grows. Each size runs in its own process so its peak working set is its own.
/// </summary>
internal static class ScaleBenchmark
{
    private static readonly (int Gpus, int Services)[] Sizes = [(8, 5), (64, 20), (512, 50), (1024, 100)];

    /// <summary>Runs every size in a child process and prints the table.</summary>
    public static void Run(int workers, TimeSpan limit, double gapLimit, double fill)
    {
        Console.WriteLine($"## CP-SAT scale: {workers} worker(s), time limit {limit.TotalSeconds:0.#} s, stop at gap {gapLimit:P0}, load = {fill:P0} of the cluster in 7g-equivalents");
        Console.WriteLine();
        Console.WriteLine("| GPUs | services | status | first feasible (ms) | solve (ms) | gap | GPUs used | SLOs met | peak working set (MiB) |");
        Console.WriteLine("|---:|---:|---|---:|---:|---:|---:|---|---:|");
        foreach (var (gpus, services) in Sizes)
        {
            Console.WriteLine(RunChild(gpus, services, workers, limit, gapLimit, fill));
        }

        Console.WriteLine();
    }

    /// <summary>The child side: plans one size and prints one table row.</summary>
    public static void RunOne(int gpus, int services, int workers, TimeSpan limit, double gapLimit, double fill)
    {
        var policy = new PlanningPolicy { Workers = workers, TimeLimit = limit, RelativeGapLimit = gapLimit };
        var workload = new SyntheticWorkload();
        var problem = new PlanningProblem(workload.Cluster(gpus), [.. workload.Services(services, SizeMix.Mixed, fill * gpus, policy)], policy);
        var plan = new CpSatPlanner().Plan(problem);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {gpus} | {services} | {plan.Status} | {plan.FirstSolutionMs} | {plan.SolveTimeMs} | {plan.Gap:P2} | {plan.GpusUsed} | {(plan.AllSlosMet ? "yes" : $"no ({plan.Unmet.Length})")} | {self.PeakWorkingSet64 / (1024.0 * 1024.0):0} |"));
    }

    private static string RunChild(int gpus, int services, int workers, TimeSpan limit, double gapLimit, double fill)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ScaleBenchmark).Assembly.Location);
        }

        foreach (var arg in new[] { "scale-one", $"{gpus}", $"{services}", $"{workers}", $"{limit.TotalSeconds}", $"{gapLimit}", $"{fill}" })
        {
            start.ArgumentList.Add(arg.ToString(CultureInfo.InvariantCulture));
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {self}");
        var row = child.StandardOutput.ReadToEnd().Trim();
        child.WaitForExit();
        return child.ExitCode == 0 ? row : $"| {gpus} | {services} | child exited {child.ExitCode} | | | | | | |";
    }
}

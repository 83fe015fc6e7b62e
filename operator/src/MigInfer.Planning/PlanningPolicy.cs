namespace MigInfer.Planning;

/// <summary>
/// The constants of the capacity model and the solver, as MigPlan's spec sets them.
/// </summary>
public sealed record PlanningPolicy
{
    /// <summary>
    /// A batch may run on a profile only if its execution latency is at most Beta × SLO; the rest
    /// of the SLO is left for queueing and batch formation. Default 0.5.
    /// </summary>
    public double Beta { get; init; } = 0.5;

    /// <summary>Planned busy fraction of every slice (utilisation cap). Default 0.8.</summary>
    public double Rho { get; init; } = 0.8;

    /// <summary>Wall-clock limit for the whole solve; the best plan found by then is returned with its gap.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>CP-SAT search workers. One worker makes the search, and so the plan, deterministic.</summary>
    public int Workers { get; init; } = 1;

    public int RandomSeed { get; init; } = 7;

    /// <summary>Relative gap at which the solver stops early. Default 0 (prove optimality or run out of time).</summary>
    public double RelativeGapLimit { get; init; }

    /// <summary>Weight of one GPU whose layout changes, in units of one running slice moved.</summary>
    public int GpuChangeWeight { get; init; } = 8;

    public void Validate()
    {
        Check(Beta is > 0 and <= 1, "beta", Beta, "in (0, 1]");
        Check(Rho is > 0 and <= 1, "rho", Rho, "in (0, 1]");
        Check(TimeLimit > TimeSpan.Zero, "timeLimit", TimeLimit, "positive");
        Check(Workers >= 1, "workers", Workers, "at least 1");
        Check(GpuChangeWeight >= 0, "gpuChangeWeight", GpuChangeWeight, "at least 0");

        static void Check(bool ok, string field, object value, string expected)
        {
            if (!ok)
            {
                throw new PlanningInputException($"policy.{field} is {value}; it must be {expected}");
            }
        }
    }
}

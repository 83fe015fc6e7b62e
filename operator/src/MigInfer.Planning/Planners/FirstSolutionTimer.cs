using Google.OrTools.Sat;

namespace MigInfer.Planning.Planners;

/// <summary>Records the wall time of the first solution CP-SAT finds.</summary>
internal sealed class FirstSolutionTimer : CpSolverSolutionCallback
{
    public double? FirstSeconds { get; private set; }

    public override void OnSolutionCallback() => FirstSeconds ??= WallTime();
}

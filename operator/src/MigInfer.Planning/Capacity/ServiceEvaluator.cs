using Google.OrTools.LinearSolver;
using MigInfer.Planning.Model;

namespace MigInfer.Planning.Capacity;

/// <summary>
/// Evaluates slices given to a service with a small linear program: the largest multiple of the
/// service's request mix that can be routed over its slices with every slice busy at most Rho.
/// </summary>
public static class ServiceEvaluator
{
    /// <param name="service">The service and its request mix.</param>
    /// <param name="slices">Slices per profile option.</param>
    /// <param name="rho">Utilisation cap.</param>
    /// <param name="servable">Which request classes count; a class no plan can serve is reported apart, not here.</param>
    public static ServiceEvaluation Evaluate(ServiceDemand service, IReadOnlyList<(ProfileOption Option, int Count)> slices, double rho, Func<int, bool> servable)
    {
        var used = slices.Where(s => s.Count > 0).ToList();
        if (used.Count == 0)
        {
            return new ServiceEvaluation(0, double.PositiveInfinity, double.PositiveInfinity);
        }

        using var lp = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("the GLOP solver is not available");
        var theta = lp.MakeNumVar(0, double.PositiveInfinity, "theta");
        var routes = new Variable?[service.Sizes.Length, used.Count];
        var busy = used.Select(s => lp.MakeConstraint(double.NegativeInfinity, rho * s.Count * 1000.0)).ToArray();
        for (var c = 0; c < service.Sizes.Length; c++)
        {
            if (!servable(c))
            {
                continue;
            }

            // Σ_k x[c,k] = θ · w_c: routes one unit of request rate split by the mix.
            var demand = lp.MakeConstraint(0, 0);
            demand.SetCoefficient(theta, -service.Sizes[c].Weight);
            for (var k = 0; k < used.Count; k++)
            {
                if (used[k].Option.RequestCostMs[c] is { } cost)
                {
                    var x = lp.MakeNumVar(0, double.PositiveInfinity, $"x{c}_{k}");
                    routes[c, k] = x;
                    demand.SetCoefficient(x, 1);
                    busy[k].SetCoefficient(x, cost);
                }
            }
        }

        lp.Objective().SetCoefficient(theta, 1);
        lp.Objective().SetMaximization();
        if (lp.Solve() != Solver.ResultStatus.OPTIMAL || theta.SolutionValue() <= 0)
        {
            return new ServiceEvaluation(0, double.PositiveInfinity, double.PositiveInfinity);
        }

        var capacity = theta.SolutionValue();
        var utilisation = rho * service.RequestsPerSecond / capacity;
        var worst = 0.0;
        for (var c = 0; c < service.Sizes.Length; c++)
        {
            for (var k = 0; k < used.Count; k++)
            {
                if (routes[c, k] is { } x && x.SolutionValue() > 1e-9 && used[k].Option.ExecutionMs[c] is { } exec)
                {
                    worst = Math.Max(worst, exec + QueueingDelay(exec, utilisation, used[k].Count));
                }
            }
        }

        return new ServiceEvaluation(capacity, utilisation, worst);
    }

    /// <summary>
    /// Mean wait in an M/D/c queue of <paramref name="servers"/> slices at utilisation u: half the
    /// M/M/c wait, which Sakasegawa's approximation gives as u^(sqrt(2(c+1))-1) / (c(1-u)) service times.
    /// </summary>
    private static double QueueingDelay(double serviceMs, double utilisation, int servers) =>
        utilisation >= 1 ? double.PositiveInfinity
            : 0.5 * serviceMs * Math.Pow(utilisation, Math.Sqrt(2.0 * (servers + 1)) - 1) / (servers * (1 - utilisation));
}

using MigInfer.Planning.Model;
using MigInfer.Planning.Plans;

namespace MigInfer.Planning.Planners;

/// <summary>Turns a cluster and its services into a plan. The CP-SAT planner and every baseline implement it.</summary>
public interface IPlanner
{
    string Name { get; }

    MigPlanResult Plan(PlanningProblem problem);
}

using MigInfer.Operator.Resources;
using MigInfer.Operator.Rollout;
using MigInfer.Planning;

namespace MigInfer.Operator.Planning;

/// <summary>Reads the MigPlan's spec into the planner's and the rollout's policies, with the CRD's defaults.</summary>
internal static class PlanningPolicies
{
    public static PlanningPolicy Planner(MigPlanSpec? spec) => new()
    {
        Beta = spec?.Beta ?? 0.5,
        Rho = spec?.Rho ?? 0.8,
        TimeLimit = TimeSpan.FromSeconds(spec?.SolveTimeLimitSeconds ?? 10),
        RelativeGapLimit = spec?.RelativeGapLimit ?? 0,
        GpuChangeWeight = spec?.GpuChangeWeight ?? 8,
    };

    public static RolloutPolicy Rollout(MigPlanSpec? spec) => new(
        spec?.Rollout?.MaxGpusInFlight ?? 8,
        TimeSpan.FromSeconds(spec?.Rollout?.MigConfigTimeoutSeconds ?? 600),
        TimeSpan.FromSeconds(spec?.Rollout?.RetryBackoffSeconds ?? 30));

    public static bool UseObservedProfile(MigPlanSpec? spec) => spec?.Planner?.UseObservedProfile ?? false;

    public static TimeSpan Debounce(MigPlanSpec? spec) => TimeSpan.FromSeconds(spec?.DebounceSeconds ?? 2);

    public static (string Namespace, string Name) MigConfigMap(MigPlanSpec? spec) =>
        (spec?.GpuOperator?.Namespace ?? "gpu-operator", spec?.GpuOperator?.ConfigMapName ?? "miginfer-mig-parted-config");
}

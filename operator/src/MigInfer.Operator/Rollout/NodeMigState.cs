namespace MigInfer.Operator.Rollout;

/// <summary>
/// A node's MIG state as the cluster shows it: the configuration named by <c>nvidia.com/mig.config</c>,
/// the MIG manager's <c>nvidia.com/mig.config.state</c>, when and on which attempt the operator set the
/// label, and the per-GPU layouts of the labelled configuration (empty when it is not the operator's).
/// </summary>
internal sealed record NodeMigState(string Node, string? Config, string? State, DateTimeOffset? Since, int Attempt, IReadOnlyDictionary<int, string> Layouts)
{
    public bool Succeeded => State == "success";

    public bool Failed => State == "failed";
}

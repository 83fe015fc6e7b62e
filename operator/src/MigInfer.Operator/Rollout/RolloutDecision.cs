using k8s.Models;
using MigInfer.Operator.Rendering;

namespace MigInfer.Operator.Rollout;

/// <summary>What one rollout pass does, in order: drain, write configurations, label nodes, create pods; and what it reports.</summary>
internal sealed record RolloutDecision
{
    public List<V1Pod> DeletePods { get; } = [];

    /// <summary>Configurations to have in the ConfigMap after this pass, by name (GPU index → layout).</summary>
    public Dictionary<string, IReadOnlyDictionary<int, string>> Configs { get; } = [];

    public List<(string Node, string Config, int Attempt)> LabelNodes { get; } = [];

    public List<(string Service, SliceAssignment Slice)> CreatePods { get; } = [];

    public List<(string Node, string Message)> Failures { get; } = [];

    /// <summary>Slice pods that ended (evicted, or exited) and are replaced in this pass, with what their status says.</summary>
    public List<(V1Pod Pod, string Message)> Ended { get; } = [];

    /// <summary>
    /// Running slice pods whose InferenceService changed since they were created, deleted in this pass to be created
    /// again with the new spec; at most one per service at a time, and only while its other slices serve.
    /// </summary>
    public List<(string Service, V1Pod Pod, string Message)> Outdated { get; } = [];

    public List<Resources.NodeRolloutStatus> Nodes { get; } = [];

    public int GpusToChange { get; set; }

    public int GpusInFlight { get; set; }

    /// <summary>When the pass must run again even if nothing in the cluster changes (timeouts, backoff).</summary>
    public TimeSpan? WakeUp { get; set; }

    public string Phase => GpusToChange == 0 && CreatePods.Count == 0 && DeletePods.Count == 0 ? "Idle" : Failures.Count > 0 ? "Blocked" : "InProgress";
}

using k8s.Models;

namespace MigInfer.Operator.Kube;

/// <summary>Status conditions by Kubernetes convention: <c>lastTransitionTime</c> moves only when <c>status</c> flips.</summary>
internal static class Conditions
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";

    /// <summary>The condition as it should be now, keeping the previous transition time when the status did not change.</summary>
    public static V1Condition Make(IEnumerable<V1Condition>? previous, string type, string status, string reason, string message, long? generation, DateTimeOffset now)
    {
        var old = previous?.FirstOrDefault(c => c.Type == type);
        return new V1Condition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            ObservedGeneration = generation,
            LastTransitionTime = old is not null && old.Status == status ? old.LastTransitionTime : now.UtcDateTime,
        };
    }
}

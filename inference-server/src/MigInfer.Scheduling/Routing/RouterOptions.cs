namespace MigInfer.Scheduling;

/// <summary>Tuning of the ELSA router.</summary>
public sealed record RouterOptions
{
    /// <summary>A slice counts as meeting the deadline only if it finishes at least this much before it.</summary>
    public TimeSpan SafetyMargin { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>When no slice meets the deadline, route to the earliest finish only if it is late by at most this; otherwise shed.</summary>
    public TimeSpan ShedLimit { get; init; } = TimeSpan.Zero;

    /// <summary>A peer without a backlog report for longer than this is presumed dead and not routed to.</summary>
    public TimeSpan LivenessWindow { get; init; } = TimeSpan.FromSeconds(1);

    internal void Validate()
    {
        if (SafetyMargin < TimeSpan.Zero || ShedLimit < TimeSpan.Zero || LivenessWindow <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(SafetyMargin),
                $"Router options need SafetyMargin >= 0 (got {SafetyMargin}), ShedLimit >= 0 (got {ShedLimit}) and LivenessWindow > 0 (got {LivenessWindow}).");
        }
    }
}

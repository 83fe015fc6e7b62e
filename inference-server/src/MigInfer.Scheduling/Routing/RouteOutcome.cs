namespace MigInfer.Scheduling;

/// <summary>Kind of a routing decision.</summary>
public enum RouteOutcome
{
    /// <summary>Sent to the smallest slice expected to meet the deadline with the safety margin.</summary>
    Routed,

    /// <summary>No slice meets the deadline; sent to the earliest finish, late by at most the shed limit.</summary>
    RoutedLate,

    /// <summary>Every eligible slice would finish later than the shed limit allows: reject (RESOURCE_EXHAUSTED).</summary>
    Shed,

    /// <summary>No ready slice can run a request of this size (UNAVAILABLE, or INVALID_ARGUMENT when larger than every max batch).</summary>
    NoEligibleSlice,
}

using k8s.LeaderElection;

namespace MigInfer.Operator.Hosting;

/// <summary>
/// Gives the Lease up on a graceful stop, as client-go's <c>ReleaseOnCancel</c> does: the holder is cleared and the
/// duration set to one second, so a standby takes over at its next retry instead of waiting out the Lease. The
/// write goes through the lock's replace of the object it just read, so it carries that resourceVersion and
/// cannot clear a Lease another replica has taken meanwhile (409).
/// </summary>
internal static class LeaseRelease
{
    /// <summary>Releases the Lease if this replica still holds it; false when it did not (or the write lost a race).</summary>
    public static async Task<bool> ReleaseAsync(ILock lease, TimeProvider time, CancellationToken cancel)
    {
        var record = await lease.GetAsync(cancel);
        if (record.HolderIdentity != lease.Identity)
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;

        // An empty holder, not a null one: the elector treats a null holder as "no Lease yet" and tries to create it.
        return await lease.UpdateAsync(new LeaderElectionRecord
        {
            HolderIdentity = "",
            LeaseDurationSeconds = 1,
            AcquireTime = now,
            RenewTime = now,
            LeaderTransitions = record.LeaderTransitions,
        }, cancel);
    }
}

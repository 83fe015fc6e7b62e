namespace MigInfer.Planning.Model;

/// <summary>Where a latency table's numbers come from; estimates are labelled wherever shown.</summary>
public enum ProfileSource
{
    Measured,
    Estimated,
}

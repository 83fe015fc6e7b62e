namespace MigInfer.Planning.Bench;

/// <summary>The request-size distributions the benchmark plans for, in the order its tables list them.</summary>
internal enum SizeMix
{
    /// <summary>Single samples and a few pairs and quads.</summary>
    Small,

    /// <summary>Log-normal sizes (median 4, sigma 1), binned to powers of two.</summary>
    LogNormal,

    /// <summary>Single samples or full batches, nothing between.</summary>
    Bimodal,

    /// <summary>Mostly single samples with a long tail up to the largest batch.</summary>
    HeavyTail,

    /// <summary>Each service draws one of the four above.</summary>
    Mixed,
}

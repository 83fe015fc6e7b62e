namespace MigInfer.Planning.Baselines;

/// <summary>The single layout every GPU takes under a homogeneous baseline.</summary>
public enum HomogeneousLayout
{
    /// <summary>Seven 1g slices (1g.5gb on A100-40GB).</summary>
    AllOneG,

    /// <summary>Three 2g slices and one 1g slice.</summary>
    TwoGAndOneG,

    /// <summary>Two 3g slices (one compute slice stranded).</summary>
    AllThreeG,

    /// <summary>The whole GPU as one 7g slice.</summary>
    AllSevenG,
}

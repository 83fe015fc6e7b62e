namespace MigInfer.InferenceServer.Device;

/// <summary>What <c>NVIDIA_VISIBLE_DEVICES</c> gives the process, judged by its first entry.</summary>
internal enum VisibleDeviceKind
{
    /// <summary>Unset, empty, <c>void</c> or <c>none</c>: no GPU.</summary>
    None,

    /// <summary><c>all</c>: every GPU of the node, none of them named.</summary>
    All,

    /// <summary>A MIG device UUID (<c>MIG-…</c>), what the device plugin gives a pod that asks for a MIG slice.</summary>
    Mig,

    /// <summary>A whole GPU's UUID (<c>GPU-…</c>).</summary>
    Gpu,

    /// <summary>A device index (<c>0</c>, or <c>0:1</c> for a MIG device), as <c>docker --gpus</c> gives.</summary>
    Index,
}

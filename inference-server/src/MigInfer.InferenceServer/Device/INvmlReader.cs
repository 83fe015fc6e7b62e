namespace MigInfer.InferenceServer.Device;

/// <summary>The seam in front of NVML, so tests (which have no GPU) can stand in for it. Neither method throws.</summary>
internal interface INvmlReader
{
    /// <summary>True when NVML loads and initialises.</summary>
    bool IsAvailable();

    /// <summary>Looks up a MIG device or a whole GPU by UUID.</summary>
    NvmlDeviceInfo Read(string uuid);
}

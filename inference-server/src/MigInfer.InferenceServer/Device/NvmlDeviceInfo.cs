namespace MigInfer.InferenceServer.Device;

/// <summary>What NVML said about one device; a field is null where its call failed.</summary>
/// <param name="GpuUuid">The GPU's UUID; for a MIG device, its parent GPU's.</param>
/// <param name="GpuIndex">The GPU's minor number; for a MIG device, its parent GPU's.</param>
/// <param name="GpuInstanceId">A MIG device's GPU instance id; null for a whole GPU.</param>
/// <param name="Problem">Why something is missing (library absent, a call's error code); null when everything was read.</param>
internal sealed record NvmlDeviceInfo(string? GpuUuid, int? GpuIndex, int? GpuInstanceId, string? Problem)
{
    public static NvmlDeviceInfo Failed(string problem) => new(null, null, null, problem);
}

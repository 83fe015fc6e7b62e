namespace MigInfer.InferenceServer.Device;

/// <summary>
/// The GPU this process was given, as reported to the operator: the device plugin may give a pod any
/// free MIG device of the requested profile on the node, so the plan's intended GPU is not proof.
/// </summary>
/// <param name="VisibleDevices">The raw <c>NVIDIA_VISIBLE_DEVICES</c> value.</param>
/// <param name="MigUuid">Its first entry when that is a MIG device UUID.</param>
/// <param name="GpuUuid">The (parent) GPU's UUID from NVML.</param>
/// <param name="GpuIndex">The (parent) GPU's host index: its NVML minor number (<c>/dev/nvidiaN</c>), or <c>MIGINFER_GPU_INDEX</c> when NVML gave none.</param>
/// <param name="GpuInstanceId">The MIG device's GPU instance id from NVML.</param>
internal sealed record SliceDevice(string VisibleDevices, string? MigUuid, string? GpuUuid, int? GpuIndex, int? GpuInstanceId);

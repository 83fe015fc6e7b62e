namespace MigInfer.InferenceServer.Device;

/// <summary>The device report's log events (ids 101–103, clear of the host's).</summary>
internal static partial class DeviceLog
{
    [LoggerMessage(101, LogLevel.Information, "No GPU given: NVIDIA_VISIBLE_DEVICES={VisibleDevices}{Detail}")]
    public static partial void NoDevice(this ILogger logger, string visibleDevices, string detail);

    [LoggerMessage(102, LogLevel.Information, "GPU device: NVIDIA_VISIBLE_DEVICES={VisibleDevices}, MIG {MigUuid}, GPU {GpuUuid}, index {GpuIndex} (from {IndexSource}), GPU instance {GpuInstanceId}")]
    public static partial void DeviceFound(this ILogger logger, string visibleDevices, string migUuid, string gpuUuid, string gpuIndex, string indexSource, string gpuInstanceId);

    [LoggerMessage(103, LogLevel.Warning, "GPU device partly known: NVIDIA_VISIBLE_DEVICES={VisibleDevices}, MIG {MigUuid}, GPU {GpuUuid}, index {GpuIndex} (from {IndexSource}), GPU instance {GpuInstanceId}; {Problem}")]
    public static partial void DevicePartlyKnown(this ILogger logger, string visibleDevices, string migUuid, string gpuUuid, string gpuIndex, string indexSource, string gpuInstanceId, string problem);
}

using MigInfer.InferenceServer.Device;

namespace MigInfer.InferenceServer.Tests.Device;

/// <summary>NVML as a test wants it: available or not, answering one fixed result, counting lookups.</summary>
internal sealed class FakeNvmlReader(bool available, NvmlDeviceInfo? result = null) : INvmlReader
{
    /// <summary>NVML whose library cannot be loaded.</summary>
    public static FakeNvmlReader Missing() => new(false, NvmlDeviceInfo.Failed("libnvidia-ml.so.1 could not be loaded"));

    public List<string> Lookups { get; } = [];

    public bool IsAvailable() => available;

    public NvmlDeviceInfo Read(string uuid)
    {
        Lookups.Add(uuid);
        return result ?? throw new InvalidOperationException("this fake has no device to report");
    }
}

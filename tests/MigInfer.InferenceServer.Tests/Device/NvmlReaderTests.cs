using System.Runtime.InteropServices;
using MigInfer.InferenceServer.Device;

namespace MigInfer.InferenceServer.Tests.Device;

/// <summary>
/// The real NVML reader on whatever machine runs the tests: without a GPU (the usual case here) this is
/// the missing-library path; with one, a UUID no device has. Either way it answers, never throws.
/// </summary>
public sealed class NvmlReaderTests
{
    private static readonly bool LibraryLoads = TryLoad();

    [Fact]
    public void Availability_FollowsWhetherTheLibraryLoads() => Assert.Equal(LibraryLoads, new NvmlReader().IsAvailable());

    [Fact]
    public void UnknownUuid_IsAProblemNotAnException()
    {
        var info = new NvmlReader().Read("MIG-00000000-0000-0000-0000-000000000000");

        Assert.Equal((null, null, null), (info.GpuUuid, info.GpuIndex, info.GpuInstanceId));
        Assert.Contains(LibraryLoads ? "nvml" : $"{NvmlNative.Library} could not be loaded", info.Problem, StringComparison.Ordinal);
    }

    private static bool TryLoad()
    {
        if (!NativeLibrary.TryLoad(NvmlNative.Library, out var handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }
}

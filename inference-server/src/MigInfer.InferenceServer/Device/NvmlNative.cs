using System.Runtime.InteropServices;

namespace MigInfer.InferenceServer.Device;

/// <summary>
/// The few NVML entry points the device report needs. The library is loaded on the first call, so a
/// process without it (CPU images, tests) pays nothing until it is asked and then gets
/// <see cref="DllNotFoundException"/>. Every signature is blittable (strings travel as NUL-terminated
/// UTF-8 bytes), so plain <c>DllImport</c> needs no runtime marshalling; <c>LibraryImport</c> would
/// require unsafe code in this project for the same calls.
/// </summary>
internal static class NvmlNative
{
    /// <summary>NVML_SUCCESS.</summary>
    public const int Success = 0;

    /// <summary>NVML_DEVICE_UUID_V2_BUFFER_SIZE: room for any device UUID and its NUL.</summary>
    public const int UuidBufferSize = 96;

    /// <summary>The soname the NVIDIA container toolkit mounts into GPU containers.</summary>
    public const string Library = "libnvidia-ml.so.1";

    [DllImport(Library, EntryPoint = "nvmlInit_v2", ExactSpelling = true)]
    public static extern int Init();

    [DllImport(Library, EntryPoint = "nvmlShutdown", ExactSpelling = true)]
    public static extern int Shutdown();

    [DllImport(Library, EntryPoint = "nvmlDeviceGetHandleByUUID", ExactSpelling = true)]
    public static extern int GetHandleByUuid(byte[] uuid, out nint device);

    [DllImport(Library, EntryPoint = "nvmlDeviceGetDeviceHandleFromMigDeviceHandle", ExactSpelling = true)]
    public static extern int GetDeviceHandleFromMigDeviceHandle(nint migDevice, out nint device);

    [DllImport(Library, EntryPoint = "nvmlDeviceGetMinorNumber", ExactSpelling = true)]
    public static extern int GetMinorNumber(nint device, out uint minorNumber);

    [DllImport(Library, EntryPoint = "nvmlDeviceGetUUID", ExactSpelling = true)]
    public static extern int GetUuid(nint device, [Out] byte[] uuid, uint length);

    [DllImport(Library, EntryPoint = "nvmlDeviceGetGpuInstanceId", ExactSpelling = true)]
    public static extern int GetGpuInstanceId(nint device, out uint id);
}

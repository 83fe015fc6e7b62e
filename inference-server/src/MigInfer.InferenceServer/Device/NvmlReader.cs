using System.Text;

namespace MigInfer.InferenceServer.Device;

/// <summary>
/// Reads a device through NVML: for a MIG device its parent GPU's UUID and minor number and its GPU
/// instance id; for a whole GPU its UUID and minor number. The minor number (<c>/dev/nvidiaN</c>) is
/// taken as the host index: it is what nvidia-smi shows as the index on the usual nodes, where GPUs
/// enumerate in PCI order, and the index mig-parted configures. Each call initialises and shuts NVML down.
/// </summary>
internal sealed class NvmlReader : INvmlReader
{
    private const string MigPrefix = "MIG-";

    public bool IsAvailable() => Session(() => new(null, null, null, null)).Problem is null;

    public NvmlDeviceInfo Read(string uuid) => Session(() => ReadInitialised(uuid));

    /// <summary>Runs <paramref name="read"/> between nvmlInit_v2 and nvmlShutdown; a missing library or entry point is a problem, not a crash.</summary>
    private static NvmlDeviceInfo Session(Func<NvmlDeviceInfo> read)
    {
        try
        {
            var status = NvmlNative.Init();
            if (status != NvmlNative.Success)
            {
                return NvmlDeviceInfo.Failed($"nvmlInit_v2 returned {status}");
            }

            try
            {
                return read();
            }
            finally
            {
                _ = NvmlNative.Shutdown();
            }
        }
        catch (DllNotFoundException)
        {
            return NvmlDeviceInfo.Failed($"{NvmlNative.Library} could not be loaded");
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or BadImageFormatException)
        {
            return NvmlDeviceInfo.Failed($"{NvmlNative.Library}: {ex.Message}");
        }
    }

    private static NvmlDeviceInfo ReadInitialised(string uuid)
    {
        var failures = new List<string>();
        bool Ok(string call, int status)
        {
            if (status != NvmlNative.Success)
            {
                failures.Add($"{call}({uuid}) returned {status}");
            }

            return status == NvmlNative.Success;
        }

        if (!Ok("nvmlDeviceGetHandleByUUID", NvmlNative.GetHandleByUuid(Encoding.UTF8.GetBytes(uuid + '\0'), out var device)))
        {
            return NvmlDeviceInfo.Failed(failures[0]);
        }

        nint? gpu = device;
        int? instance = null;
        if (uuid.StartsWith(MigPrefix, StringComparison.Ordinal))
        {
            instance = Ok("nvmlDeviceGetGpuInstanceId", NvmlNative.GetGpuInstanceId(device, out var id)) ? (int)id : null;
            gpu = Ok("nvmlDeviceGetDeviceHandleFromMigDeviceHandle", NvmlNative.GetDeviceHandleFromMigDeviceHandle(device, out var parent)) ? parent : null;
        }

        string? gpuUuid = null;
        int? index = null;
        if (gpu is { } handle)
        {
            var buffer = new byte[NvmlNative.UuidBufferSize];
            gpuUuid = Ok("nvmlDeviceGetUUID", NvmlNative.GetUuid(handle, buffer, (uint)buffer.Length)) ? NulTerminated(buffer) : null;
            index = Ok("nvmlDeviceGetMinorNumber", NvmlNative.GetMinorNumber(handle, out var minor)) ? (int)minor : null;
        }

        return new(gpuUuid, index, instance, failures.Count == 0 ? null : string.Join("; ", failures));
    }

    private static string NulTerminated(byte[] buffer)
    {
        var length = Array.IndexOf(buffer, (byte)0);
        return Encoding.UTF8.GetString(buffer, 0, length < 0 ? buffer.Length : length);
    }
}

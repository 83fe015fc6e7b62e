using System.Globalization;

namespace MigInfer.InferenceServer.Device;

/// <summary>
/// Finds the GPU this process was given, once at startup (the device never changes while it runs):
/// <c>NVIDIA_VISIBLE_DEVICES</c> names it, NVML adds the parent GPU and the GPU instance, and
/// <c>MIGINFER_GPU_INDEX</c> supplies the GPU index where NVML gave none (tests, clusters without NVML).
/// The environment and NVML come in as seams so tests never set process-wide variables.
/// </summary>
internal sealed class SliceDeviceProbe(Func<string, string?> environment, INvmlReader nvml)
{
    /// <summary>The operator's override of the GPU index, used only when NVML gave none.</summary>
    public const string GpuIndexVariable = "MIGINFER_GPU_INDEX";

    private const string Unknown = "unknown";

    /// <summary>The probe of this process: its environment and the real NVML.</summary>
    public static SliceDeviceProbe ForProcess() => new(Environment.GetEnvironmentVariable, new NvmlReader());

    /// <summary>The device, or null when the process was given no GPU; logs one line saying what was found.</summary>
    public SliceDevice? Read(ILogger logger)
    {
        var visible = VisibleDevices.Parse(environment(VisibleDevices.Variable));
        var raw = visible.Raw ?? "(unset)";
        NvmlDeviceInfo info;
        switch (visible.Kind)
        {
            case VisibleDeviceKind.None:
                logger.NoDevice(raw, "");
                return null;
            case VisibleDeviceKind.All when !nvml.IsAvailable():
                logger.NoDevice(raw, $" and {NvmlNative.Library} is not usable");
                return null;
            case VisibleDeviceKind.All:
                info = new(null, null, null, "'all' names no single device");
                break;
            case VisibleDeviceKind.Index:
                info = new(null, null, null, $"'{visible.First}' is an index, not a UUID NVML can look up");
                break;
            default:
                info = nvml.Read(visible.Uuid!);
                break;
        }

        var (fallback, fallbackProblem) = GpuIndexOverride();
        var device = new SliceDevice(visible.Raw!, visible.MigUuid, info.GpuUuid, info.GpuIndex ?? fallback, info.GpuInstanceId);
        var indexSource = info.GpuIndex is not null ? "NVML minor number" : fallback is not null ? GpuIndexVariable : "nowhere";
        var problem = string.Join("; ", new[] { info.Problem, fallbackProblem }.OfType<string>());
        if (problem.Length == 0)
        {
            logger.DeviceFound(raw, Text(device.MigUuid), Text(device.GpuUuid), Text(device.GpuIndex), indexSource, Text(device.GpuInstanceId));
        }
        else
        {
            logger.DevicePartlyKnown(raw, Text(device.MigUuid), Text(device.GpuUuid), Text(device.GpuIndex), indexSource, Text(device.GpuInstanceId), problem);
        }

        return device;
    }

    private static string Text(string? value) => value ?? Unknown;

    private static string Text(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? Unknown;

    private (int? Index, string? Problem) GpuIndexOverride()
    {
        var value = environment(GpuIndexVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return (null, null);
        }

        return int.TryParse(value, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var index)
            ? (index, null)
            : (null, $"{GpuIndexVariable}='{value}' is not a non-negative integer and is ignored");
    }
}

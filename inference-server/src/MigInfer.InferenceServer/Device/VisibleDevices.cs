namespace MigInfer.InferenceServer.Device;

/// <summary><c>NVIDIA_VISIBLE_DEVICES</c>, parsed: the raw value, what kind of device its first entry names, and that entry.</summary>
/// <param name="Raw">The variable's value as set; null when unset.</param>
/// <param name="Kind">What the first entry names.</param>
/// <param name="First">The first entry, trimmed; null for <see cref="VisibleDeviceKind.None"/> and <see cref="VisibleDeviceKind.All"/>.</param>
internal sealed record VisibleDevices(string? Raw, VisibleDeviceKind Kind, string? First)
{
    /// <summary>The variable the NVIDIA container toolkit reads, and the device plugin sets to the UUIDs it allocated.</summary>
    public const string Variable = "NVIDIA_VISIBLE_DEVICES";

    private const string MigPrefix = "MIG-";
    private const string GpuPrefix = "GPU-";

    /// <summary>The MIG device's UUID when the first entry is one; otherwise null.</summary>
    public string? MigUuid => Kind == VisibleDeviceKind.Mig ? First : null;

    /// <summary>The UUID NVML can look the device up by (a MIG device's or a whole GPU's); null for an index, <c>all</c> or no device.</summary>
    public string? Uuid => Kind is VisibleDeviceKind.Mig or VisibleDeviceKind.Gpu ? First : null;

    public static VisibleDevices Parse(string? value)
    {
        var first = value?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (first is null || first.Equals("void", StringComparison.OrdinalIgnoreCase) || first.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return new(value, VisibleDeviceKind.None, null);
        }

        if (first.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return new(value, VisibleDeviceKind.All, null);
        }

        var kind = first.StartsWith(MigPrefix, StringComparison.Ordinal) ? VisibleDeviceKind.Mig
            : first.StartsWith(GpuPrefix, StringComparison.Ordinal) ? VisibleDeviceKind.Gpu
            : VisibleDeviceKind.Index;
        return new(value, kind, first);
    }
}

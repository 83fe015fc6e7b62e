using MigInfer.InferenceServer.Device;

namespace MigInfer.InferenceServer.Tests.Device;

public sealed class VisibleDevicesTests
{
    [Theory]
    [InlineData("MIG-abc", nameof(VisibleDeviceKind.Mig), "MIG-abc", "MIG-abc", "MIG-abc")]
    [InlineData("MIG-abc,MIG-def", nameof(VisibleDeviceKind.Mig), "MIG-abc", "MIG-abc", "MIG-abc")]
    [InlineData(" MIG-abc , GPU-x", nameof(VisibleDeviceKind.Mig), "MIG-abc", "MIG-abc", "MIG-abc")]
    [InlineData("GPU-x", nameof(VisibleDeviceKind.Gpu), "GPU-x", null, "GPU-x")]
    [InlineData("GPU-x,MIG-abc", nameof(VisibleDeviceKind.Gpu), "GPU-x", null, "GPU-x")]
    [InlineData("0", nameof(VisibleDeviceKind.Index), "0", null, null)]
    [InlineData("0:1", nameof(VisibleDeviceKind.Index), "0:1", null, null)]
    [InlineData("all", nameof(VisibleDeviceKind.All), null, null, null)]
    [InlineData("ALL", nameof(VisibleDeviceKind.All), null, null, null)]
    [InlineData("", nameof(VisibleDeviceKind.None), null, null, null)]
    [InlineData(" , ", nameof(VisibleDeviceKind.None), null, null, null)]
    [InlineData("void", nameof(VisibleDeviceKind.None), null, null, null)]
    [InlineData("none", nameof(VisibleDeviceKind.None), null, null, null)]
    [InlineData(null, nameof(VisibleDeviceKind.None), null, null, null)]
    public void Value_ParsesToItsKindAndFirstEntry(string? value, string kind, string? first, string? migUuid, string? uuid)
    {
        var parsed = VisibleDevices.Parse(value);

        Assert.Equal((value, Enum.Parse<VisibleDeviceKind>(kind), first, migUuid, uuid), (parsed.Raw, parsed.Kind, parsed.First, parsed.MigUuid, parsed.Uuid));
    }
}

using Microsoft.Extensions.Logging;
using MigInfer.InferenceServer.Device;

namespace MigInfer.InferenceServer.Tests.Device;

public sealed class SliceDeviceProbeTests
{
    private const string Mig = "MIG-4f5e0c3a-1b2c-5d6e-8f90-123456789abc";
    private const string Gpu = "GPU-9a8b7c6d-0000-1111-2222-333344445555";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("void")]
    [InlineData("none")]
    public void NoGpuGiven_IsNullWithoutAskingNvml(string? visible)
    {
        var nvml = new FakeNvmlReader(available: true, new NvmlDeviceInfo(Gpu, 3, 2, null));
        var logger = new RecordingLogger();

        var device = Probe(nvml, (VisibleDevices.Variable, visible), (SliceDeviceProbe.GpuIndexVariable, "3")).Read(logger);

        Assert.Null(device);
        Assert.Empty(nvml.Lookups);
        Assert.Equal(LogLevel.Information, Assert.Single(logger.Lines).Level);
    }

    [Fact]
    public void MigDevice_FoundByNvml_ReportsParentGpuIndexAndInstance()
    {
        var nvml = new FakeNvmlReader(available: true, new NvmlDeviceInfo(Gpu, 3, 2, null));
        var logger = new RecordingLogger();

        var device = Probe(nvml, (VisibleDevices.Variable, Mig + ",MIG-other")).Read(logger);

        Assert.Equal(new SliceDevice(Mig + ",MIG-other", Mig, Gpu, 3, 2), device);
        Assert.Equal([Mig], nvml.Lookups);
        var line = Assert.Single(logger.Lines);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains($"MIG {Mig}, GPU {Gpu}, index 3 (from NVML minor number), GPU instance 2", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WholeGpu_FoundByNvml_HasNoMigUuidOrInstance()
    {
        var nvml = new FakeNvmlReader(available: true, new NvmlDeviceInfo(Gpu, 1, null, null));

        var device = Probe(nvml, (VisibleDevices.Variable, Gpu)).Read(new RecordingLogger());

        Assert.Equal(new SliceDevice(Gpu, null, Gpu, 1, null), device);
    }

    [Fact]
    public void NvmlCallsFailing_LeaveTheirFieldsNullAndWarnNamingTheCall()
    {
        var nvml = new FakeNvmlReader(available: true, new NvmlDeviceInfo(null, null, 2, $"nvmlDeviceGetDeviceHandleFromMigDeviceHandle({Mig}) returned 3"));
        var logger = new RecordingLogger();

        var device = Probe(nvml, (VisibleDevices.Variable, Mig)).Read(logger);

        Assert.Equal(new SliceDevice(Mig, Mig, null, null, 2), device);
        var line = Assert.Single(logger.Lines);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("nvmlDeviceGetDeviceHandleFromMigDeviceHandle", line.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "5", 5)]
    [InlineData(null, " 5 ", 5)]
    [InlineData(null, "", null)]
    [InlineData(null, "-1", null)]
    [InlineData(null, "three", null)]
    [InlineData(3, "5", 3)]
    public void GpuIndexVariable_SetsTheIndexOnlyWhenNvmlGaveNone(int? nvmlIndex, string variable, int? expected)
    {
        var nvml = new FakeNvmlReader(available: nvmlIndex is not null, new NvmlDeviceInfo(nvmlIndex is null ? null : Gpu, nvmlIndex, null, nvmlIndex is null ? "libnvidia-ml.so.1 could not be loaded" : null));

        var device = Probe(nvml, (VisibleDevices.Variable, Mig), (SliceDeviceProbe.GpuIndexVariable, variable)).Read(new RecordingLogger());

        Assert.Equal(expected, device?.GpuIndex);
        Assert.Equal(Mig, device?.MigUuid);
    }

    [Fact]
    public void InvalidGpuIndexVariable_IsNamedInTheWarning()
    {
        var logger = new RecordingLogger();

        Probe(new FakeNvmlReader(available: true, new NvmlDeviceInfo(Gpu, null, null, null)), (VisibleDevices.Variable, Gpu), (SliceDeviceProbe.GpuIndexVariable, "three")).Read(logger);

        var line = Assert.Single(logger.Lines);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("MIGINFER_GPU_INDEX='three'", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NvmlMissing_StillReportsTheMigDeviceAndTheOverride()
    {
        var logger = new RecordingLogger();

        var device = Probe(FakeNvmlReader.Missing(), (VisibleDevices.Variable, Mig), (SliceDeviceProbe.GpuIndexVariable, "4")).Read(logger);

        Assert.Equal(new SliceDevice(Mig, Mig, null, 4, null), device);
        var line = Assert.Single(logger.Lines);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("index 4 (from MIGINFER_GPU_INDEX)", line.Message, StringComparison.Ordinal);
        Assert.Contains("could not be loaded", line.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void All_IsADeviceOnlyWhenNvmlWorks(bool nvmlAvailable, bool reported)
    {
        var nvml = new FakeNvmlReader(nvmlAvailable);

        var device = Probe(nvml, (VisibleDevices.Variable, "all")).Read(new RecordingLogger());

        Assert.Equal(reported ? new SliceDevice("all", null, null, null, null) : null, device);
        Assert.Empty(nvml.Lookups);
    }

    [Fact]
    public void IndexEntry_IsReportedRawWithoutAnNvmlLookup()
    {
        var nvml = new FakeNvmlReader(available: true);

        var device = Probe(nvml, (VisibleDevices.Variable, "0"), (SliceDeviceProbe.GpuIndexVariable, "0")).Read(new RecordingLogger());

        Assert.Equal(new SliceDevice("0", null, null, 0, null), device);
        Assert.Empty(nvml.Lookups);
    }

    private static SliceDeviceProbe Probe(INvmlReader nvml, params (string Name, string? Value)[] environment)
    {
        var values = environment.ToDictionary(e => e.Name, e => e.Value);
        return new SliceDeviceProbe(name => values.GetValueOrDefault(name), nvml);
    }
}

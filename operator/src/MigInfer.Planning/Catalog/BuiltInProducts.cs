namespace MigInfer.Planning.Catalog;

/// <summary>
/// Board geometry from NVIDIA's MIG user guide and <c>nvidia-smi mig -lgip</c> output
/// (shared/reference/mig-geometry.md). The H100's memory per profile is what <c>nvidia-smi mig -lgip</c>
/// printed on an H100 80GB HBM3 with driver 580.159.04 (docs/benchmarks.md, "On an H100"): a little
/// more than the A100-80GB's. Peaks are dense datasheet figures, used only for estimates.
/// </summary>
internal static class BuiltInProducts
{
    private static readonly int[] AnyStart = [0, 1, 2, 3, 4, 5, 6];
    private static readonly int[] EvenStart = [0, 2, 4, 6];
    private static readonly int[] TwoGStart = [0, 2, 4];
    private static readonly int[] ThreeGStart = [0, 4];
    private static readonly int[] ZeroStart = [0];

    public static readonly GpuProduct A100Sxm4_40GB = new(
        "A100-40GB",
        ["NVIDIA-A100-SXM4-40GB", "NVIDIA-A100-PCIE-40GB"],
        ComputeSlices: 7,
        MemorySlices: 8,
        [
            new("1g.5gb", 19, 1, 1, 7, 4864, AnyStart),
            new("1g.5gb+me", 20, 1, 1, 1, 4864, AnyStart, MediaExtensions: true),
            new("1g.10gb", 15, 1, 2, 4, 9856, EvenStart),
            new("2g.10gb", 14, 2, 2, 3, 9856, TwoGStart),
            new("3g.20gb", 9, 3, 4, 2, 19968, ThreeGStart),
            new("4g.20gb", 5, 4, 4, 1, 19968, ZeroStart),
            new("7g.40gb", 0, 7, 8, 1, 40192, ZeroStart),
        ],
        PeakFp16Tflops: 312,
        PeakTf32Tflops: 156,
        PeakFp32Tflops: 19.5,
        MemoryBandwidthGBps: 1555);

    public static readonly GpuProduct A100_80GB = new(
        "A100-80GB",
        ["NVIDIA-A100-SXM4-80GB", "NVIDIA-A100-80GB-PCIe"],
        ComputeSlices: 7,
        MemorySlices: 8,
        Profiles80GB(oneG: 9984, twoMemorySlices: 19968, fourMemorySlices: 40192, whole: 80384),
        PeakFp16Tflops: 312,
        PeakTf32Tflops: 156,
        PeakFp32Tflops: 19.5,
        MemoryBandwidthGBps: 2039);

    public static readonly GpuProduct H100_80GB = new(
        "H100-80GB",
        ["NVIDIA-H100-80GB-HBM3", "NVIDIA-H100-SXM5-80GB"],
        ComputeSlices: 7,
        MemorySlices: 8,
        Profiles80GB(oneG: 9984, twoMemorySlices: 20090, fourMemorySlices: 40448, whole: 81152),
        PeakFp16Tflops: 989,
        PeakTf32Tflops: 495,
        PeakFp32Tflops: 67,
        MemoryBandwidthGBps: 3350);

    public static IReadOnlyList<GpuProduct> All { get; } = [A100Sxm4_40GB, A100_80GB, H100_80GB];

    /// <summary>The 80 GB boards' profiles: the same names, ids, slices and starts; memory in MiB by memory slices.</summary>
    private static MigProfile[] Profiles80GB(int oneG, int twoMemorySlices, int fourMemorySlices, int whole) =>
    [
        new("1g.10gb", 19, 1, 1, 7, oneG, AnyStart),
        new("1g.10gb+me", 20, 1, 1, 1, oneG, AnyStart, MediaExtensions: true),
        new("1g.20gb", 15, 1, 2, 4, twoMemorySlices, EvenStart),
        new("2g.20gb", 14, 2, 2, 3, twoMemorySlices, TwoGStart),
        new("3g.40gb", 9, 3, 4, 2, fourMemorySlices, ThreeGStart),
        new("4g.40gb", 5, 4, 4, 1, fourMemorySlices, ZeroStart),
        new("7g.80gb", 0, 7, 8, 1, whole, ZeroStart),
    ];
}

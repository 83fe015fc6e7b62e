using System.Globalization;
using MigInfer.Planning.Bench;

// Usage: scale [workers] [limit s] [gap] [fill] | quality [services] [fill GPUs] [cluster GPUs] [workers] [limit s] [seed]
//        | quality-measured <measurements.jsonl> [services] [fill GPUs] [cluster GPUs] [workers] [limit s] [seed]
//        | slo-sweep <measurements.jsonl> [seed] | homogeneous-check [seed] | roofline <measurements.jsonl> | all
// (measurements from bench/gpu/measure_profiles.py; scale-one is the child process of scale).
const string H100Measurements = "../gpu/results/h100-80gb-hbm3-2026-11-23-3g.jsonl";
var mode = args.Length > 0 ? args[0] : "all";
double Arg(int i, double fallback) => args.Length > i ? double.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
void Quality(Workload workload, int first) =>
    QualityBenchmark.Run(workload, (int)Arg(first, 12), Arg(first + 1, 40), (int)Arg(first + 2, 200), (int)Arg(first + 3, 2), TimeSpan.FromSeconds(Arg(first + 4, 20)), (int)Arg(first + 5, Workload.Seed));
try
{
    switch (mode)
    {
        case "scale-one":
            ScaleBenchmark.RunOne((int)Arg(1, 8), (int)Arg(2, 5), (int)Arg(3, 2), TimeSpan.FromSeconds(Arg(4, 10)), Arg(5, 0.02), Arg(6, 0.6));
            break;
        case "scale":
            ScaleBenchmark.Run((int)Arg(1, 2), TimeSpan.FromSeconds(Arg(2, 10)), Arg(3, 0.02), Arg(4, 0.6));
            break;
        case "quality":
            Quality(new SyntheticWorkload(), 1);
            break;
        case "quality-measured" when args.Length >= 2:
            Quality(new MeasuredWorkload(GpuMeasurements.Read(args[1])), 2);
            break;
        case "slo-sweep" when args.Length >= 2:
            SloSweep.Run(GpuMeasurements.Read(args[1]), [1.2, 1.1, 1, 0.9, 0.8, 0.7, 0.6], 12, 40, 200, 2, TimeSpan.FromSeconds(20), (int)Arg(2, Workload.Seed));
            break;
        case "homogeneous-check":
            HomogeneousCheck.Run(new SyntheticWorkload(), 12, 40, 200, 2, TimeSpan.FromSeconds(20), (int)Arg(1, Workload.Seed));
            HomogeneousCheck.Run(new MeasuredWorkload(GpuMeasurements.Read(H100Measurements)), 12, 40, 200, 2, TimeSpan.FromSeconds(20), (int)Arg(1, Workload.Seed));
            break;
        case "roofline" when args.Length == 2:
            return RooflineCheck.Run(args[1]);
        case "all":
            ScaleBenchmark.Run(2, TimeSpan.FromSeconds(10), 0.02, 0.6);
            Quality(new SyntheticWorkload(), 1);
            Quality(new MeasuredWorkload(GpuMeasurements.Read(H100Measurements)), 1);
            break;
        default:
            Console.Error.WriteLine($"unknown mode '{mode}': use scale, quality, quality-measured <file>, slo-sweep <file>, homogeneous-check, roofline <file> or all");
            return 2;
    }
}
catch (Exception e) when (e is InvalidDataException or IOException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

return 0;

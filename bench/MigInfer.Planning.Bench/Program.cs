using System.Globalization;
using MigInfer.Planning.Bench;

// Usage: scale [workers] [limit s] [gap] [fill] | quality [services] [fill GPUs] [cluster GPUs] [workers] [limit s] [seed]
//        | roofline <measurements.jsonl from bench/gpu/measure_profiles.py> | all
// (scale-one is the child process of scale).
var mode = args.Length > 0 ? args[0] : "all";
double Arg(int i, double fallback) => args.Length > i ? double.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
switch (mode)
{
    case "scale-one":
        ScaleBenchmark.RunOne((int)Arg(1, 8), (int)Arg(2, 5), (int)Arg(3, 2), TimeSpan.FromSeconds(Arg(4, 10)), Arg(5, 0.02), Arg(6, 0.6));
        break;
    case "scale":
        ScaleBenchmark.Run((int)Arg(1, 2), TimeSpan.FromSeconds(Arg(2, 10)), Arg(3, 0.02), Arg(4, 0.6));
        break;
    case "quality":
        QualityBenchmark.Run((int)Arg(1, 12), Arg(2, 40), (int)Arg(3, 200), (int)Arg(4, 2), TimeSpan.FromSeconds(Arg(5, 20)), (int)Arg(6, SyntheticWorkloads.Seed));
        break;
    case "roofline" when args.Length == 2:
        return RooflineCheck.Run(args[1]);
    case "all":
        ScaleBenchmark.Run(2, TimeSpan.FromSeconds(10), 0.02, 0.6);
        QualityBenchmark.Run(12, 40, 200, 2, TimeSpan.FromSeconds(20), SyntheticWorkloads.Seed);
        break;
    default:
        Console.Error.WriteLine($"unknown mode '{mode}': use scale, quality, roofline <file> or all");
        return 2;
}

return 0;

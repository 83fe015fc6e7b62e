using MigInfer.Operator.Bench;

return await RolloutBenchmark.RunAsync(args);

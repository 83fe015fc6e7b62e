using System.CommandLine;
using MigInfer.Cli;
using MigInfer.Cli.Commands;

var root = new RootCommand("MigInfer: plan MIG partitions and serve models on partitioned GPUs");
root.Subcommands.Add(PlanCommand.Create());
root.Subcommands.Add(ModelsCommand.Create());

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"miginfer: {error.Message}");
    }

    return ExitCodes.BadInput;
}

return parsed.Invoke();

using System.CommandLine;
using MigInfer.Cli;
using MigInfer.Cli.Commands;

var root = new RootCommand("MigInfer: plan MIG partitions and serve models on partitioned GPUs");
root.Subcommands.Add(PlanCommand.Create());
root.Subcommands.Add(ModelsCommand.Create());
root.Subcommands.Add(LocalCommand.Create());
root.Subcommands.Add(InferCommand.Create());
root.Subcommands.Add(BenchCommand.Create());

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"miginfer: {error.Message}");
    }

    return ExitCodes.BadInput;
}

// Commands that run until stopped (local up) handle Ctrl-C and SIGTERM themselves.
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

using System.CommandLine;
using MigInfer.Cli;
using MigInfer.Cli.Commands;
using Spectre.Console;

// Spectre wraps tables at 80 columns whenever the output is not a terminal. Honour COLUMNS, and give pipes and
// files (CI logs, `miginfer plan > plan.txt`) room, so a service name is never cut in two.
if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0)
{
    AnsiConsole.Profile.Width = columns;
}
else if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 200;
}

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

using System.CommandLine;
using MigInfer.Cli.Rendering;
using MigInfer.Planning;
using MigInfer.Planning.Catalog;
using MigInfer.Planning.Documents;
using MigInfer.Planning.Model;
using MigInfer.Planning.Planners;

namespace MigInfer.Cli.Commands;

/// <summary><c>miginfer plan</c>: prints the plan for an inventory and services without running anything.</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var cluster = new Option<string>("--cluster") { Description = "ClusterInventory YAML file", Required = true };
        var services = new Option<string>("--services") { Description = "InferenceService YAML file or folder", Required = true };
        var current = new Option<string?>("--current") { Description = "a plan JSON (from --output json) to re-plan from" };
        var timeLimit = new Option<string>("--time-limit") { Description = "solver time limit, e.g. 500ms, 10s", DefaultValueFactory = _ => "10s" };
        var workers = new Option<int>("--workers") { Description = "CP-SAT search workers (1 is deterministic)", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--output", "-o") { Description = "table or json", DefaultValueFactory = _ => "table" };
        output.OneOf("table", "json");

        var command = new Command("plan", "Compute a MIG partition plan for a cluster and its InferenceServices")
        {
            cluster, services, current, timeLimit, workers, output,
        };
        command.SetAction(parse => Run(
            parse.GetValue(cluster)!,
            parse.GetValue(services)!,
            parse.GetValue(current),
            parse.GetValue(timeLimit)!,
            parse.GetValue(workers),
            parse.GetValue(output)!));
        return command;
    }

    private static int Run(string clusterPath, string servicesPath, string? currentPath, string timeLimitText, int workers, string output)
    {
        try
        {
            if (!Durations.TryParse(timeLimitText, out var limit))
            {
                throw new DocumentException($"--time-limit = {timeLimitText} is not a positive duration such as 500ms or 10s");
            }

            if (workers < 1)
            {
                throw new DocumentException($"--workers = {workers} must be at least 1");
            }

            var catalog = GpuCatalog.Default;
            var inventory = InputFiles.Inventory(clusterPath, catalog);
            if (currentPath is not null)
            {
                inventory = InputFiles.WithCurrentPlan(inventory, currentPath, catalog);
            }

            var inputs = InputFiles.Services(servicesPath, catalog);
            var demands = inputs.Select(i => i.Service).ToList();
            var policy = new PlanningPolicy { TimeLimit = limit, Workers = workers };
            var plan = new CpSatPlanner(catalog).Plan(new PlanningProblem(inventory, [.. demands], policy));
            var specProblems = plan.Unmet.Where(u => u.IsSpecProblem).ToList();
            if (specProblems.Count > 0)
            {
                // No cluster of this shape can serve these specs: that is bad input, not a plan.
                foreach (var u in specProblems)
                {
                    Console.Error.WriteLine($"miginfer plan: {inputs.First(i => i.Service.Name == u.Service).File}: InferenceService {u.Service}: {u.Message}");
                }

                return ExitCodes.BadInput;
            }

            if (output == "json")
            {
                Console.WriteLine(PlanJson.Write(plan));
            }
            else
            {
                PlanTable.Write(plan, demands);
            }

            return plan.AllSlosMet ? ExitCodes.Ok : ExitCodes.Unmet;
        }
        catch (Exception e) when (e is DocumentException or PlanningInputException)
        {
            Console.Error.WriteLine($"miginfer plan: {e.Message}");
            return ExitCodes.BadInput;
        }
    }
}

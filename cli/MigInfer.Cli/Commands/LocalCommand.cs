using System.CommandLine;
using System.Runtime.InteropServices;
using MigInfer.Cli.Local;
using MigInfer.OnnxModels;

namespace MigInfer.Cli.Commands;

/// <summary><c>miginfer local up &lt;dir&gt;</c>: the whole product on one machine, no cluster and no GPU.</summary>
internal static class LocalCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("dir") { Description = "folder with a ClusterInventory and InferenceServices (e.g. examples/quickstart)" };
        var basePort = new Option<int?>("--base-port") { Description = "first of the loopback ports to use (default: free ports the system picks)" };
        var scale = new Option<string>("--model-scale") { Description = "size of generated example models: reduced (fast on CPU) or full", DefaultValueFactory = _ => "reduced" };
        scale.OneOf("reduced", "full");
        var timeLimit = new Option<string>("--time-limit") { Description = "planner time limit, e.g. 5s", DefaultValueFactory = _ => "5s" };
        var readyTimeout = new Option<string>("--ready-timeout") { Description = "how long a slice server may take to become ready", DefaultValueFactory = _ => "180s" };
        var up = new Command("up", "Plan the folder's cluster, start one server per planned slice, and serve until Ctrl-C")
        {
            folder, basePort, scale, timeLimit, readyTimeout,
        };
        up.SetAction(async (parse, cancellationToken) =>
        {
            if (!Durations.TryParse(parse.GetValue(timeLimit)!, out var limit) || !Durations.TryParse(parse.GetValue(readyTimeout)!, out var ready))
            {
                Console.Error.WriteLine($"miginfer local up: --time-limit {parse.GetValue(timeLimit)} and --ready-timeout {parse.GetValue(readyTimeout)} must be durations such as 5s");
                return ExitCodes.BadInput;
            }

            var options = new LocalOptions(
                parse.GetValue(folder)!,
                parse.GetValue(basePort),
                parse.GetValue(scale) == "full" ? ModelScale.Full : ModelScale.Reduced,
                limit,
                ready);
            // Ctrl-C and SIGTERM stop the servers; the command then exits 0, as a requested stop is not a failure.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            return await LocalRun.UpAsync(options, stop.Token);

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }
        });
        return new Command("local", "Run MigInfer on this machine") { up };
    }
}

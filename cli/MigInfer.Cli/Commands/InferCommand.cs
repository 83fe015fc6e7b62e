using System.CommandLine;
using System.Diagnostics;
using Grpc.Core;
using MigInfer.Cli.Client;
using MigInfer.InferenceServer.Protocol;

namespace MigInfer.Cli.Commands;

/// <summary><c>miginfer infer</c>: sends one v2 request to a service of the running local mode and prints the outputs and the latency.</summary>
internal static class InferCommand
{
    public static Command Create()
    {
        var service = new Option<string>("--service") { Description = "service name (name or namespace/name)", Required = true };
        var batch = new Option<int>("--batch") { Description = "samples in the request, for generated inputs", DefaultValueFactory = _ => 1 };
        var input = new Option<string?>("--input") { Description = "request in the v2 JSON form: {\"inputs\":[{\"name\",\"shape\",\"datatype\",\"data\"}]}" };
        var sequence = new Option<int>("--sequence") { Description = "length of variable non-batch dimensions, for generated inputs", DefaultValueFactory = _ => 16 };
        var values = new Option<int>("--values") { Description = "output values to show per tensor", DefaultValueFactory = _ => 8 };
        var command = new Command("infer", "Send one inference request to a local-mode service") { service, batch, input, sequence, values };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await RunAsync(parse.GetValue(service)!, parse.GetValue(batch), parse.GetValue(input), parse.GetValue(sequence), parse.GetValue(values), cancellationToken);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or IOException or System.Text.Json.JsonException)
            {
                Console.Error.WriteLine($"miginfer infer: {e.Message}");
                return ExitCodes.BadInput;
            }
            catch (RpcException e)
            {
                // The service's servers did not answer (stopped, restarting): not a crash, and not bad input.
                Console.Error.WriteLine($"miginfer infer: {e.StatusCode}: {e.Status.Detail}");
                return ExitCodes.Unmet;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(string serviceName, int batch, string? input, int sequence, int values, CancellationToken cancellationToken)
    {
        if (batch < 1)
        {
            throw new FormatException($"--batch {batch} must be at least 1");
        }

        using var endpoints = ServiceEndpoints.Open(serviceName);
        var client = endpoints.Next();
        var metadata = await client.ModelMetadataAsync(new ModelMetadataRequest { Name = endpoints.Service.Model }, cancellationToken: cancellationToken);
        var request = input is null
            ? new RequestFactory(metadata, SequenceLengths.Fixed(sequence), seed: Environment.TickCount).Create(batch, id: Guid.NewGuid().ToString("N"))
            : JsonInput.Read(input, endpoints.Service.Model);
        var clock = Stopwatch.StartNew();
        try
        {
            var response = await client.ModelInferAsync(request, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken);
            var elapsed = clock.Elapsed.TotalMilliseconds;
            Console.WriteLine($"{endpoints.Service.Name} (model {response.ModelName} version {response.ModelVersion}) answered in {elapsed:0.00} ms (SLO {endpoints.Service.SloMs:0.#} ms)");
            foreach (var line in OutputFormatter.Lines(response, values))
            {
                Console.WriteLine("  " + line);
            }

            return ExitCodes.Ok;
        }
        catch (RpcException e)
        {
            Console.Error.WriteLine($"miginfer infer: {e.StatusCode}: {e.Status.Detail} (after {clock.Elapsed.TotalMilliseconds:0.00} ms)");
            return ExitCodes.Unmet;
        }
    }
}

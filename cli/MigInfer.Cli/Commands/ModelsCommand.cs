using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using MigInfer.OnnxModels;

namespace MigInfer.Cli.Commands;

/// <summary>
/// <c>miginfer models</c>: writes the seeded ONNX model zoo (ResNet-50-, MobileNetV2- and
/// BERT-shaped models and tiny test models), each with a model card next to it.
/// </summary>
internal static class ModelsCommand
{
    private static readonly JsonSerializerOptions CardJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "folder to write the models into", Required = true };
        var only = new Option<string[]>("--only") { Description = "model names to write (default: all)", AllowMultipleArgumentsPerToken = true };
        var scale = new Option<string>("--scale") { Description = "full (real sizes) or reduced (small, fast on CPU)", DefaultValueFactory = _ => "full" };
        scale.OneOf("full", "reduced");
        var seed = new Option<int>("--seed") { Description = "seed of the random weights", DefaultValueFactory = _ => 0 };
        var list = new Option<bool>("--list") { Description = "list the model names and exit" };
        var command = new Command("models", "Write realistic ONNX models with seeded random weights") { output, only, scale, seed, list };
        command.SetAction(parse => parse.GetValue(list)
            ? List()
            : Run(parse.GetValue(output)!, parse.GetValue(only), parse.GetValue(scale) == "reduced" ? ModelScale.Reduced : ModelScale.Full, parse.GetValue(seed)));
        return command;
    }

    private static int List()
    {
        foreach (var name in ModelZoo.Names)
        {
            Console.WriteLine(name);
        }

        return ExitCodes.Ok;
    }

    private static int Run(string folder, string[]? only, ModelScale scale, int seed)
    {
        var names = only is { Length: > 0 } ? only.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList() : [.. ModelZoo.Names];
        var unknown = names.FirstOrDefault(n => !ModelZoo.Names.Contains(n));
        if (unknown is not null)
        {
            Console.Error.WriteLine($"miginfer models: --only {unknown} is not a model; known: {string.Join(", ", ModelZoo.Names)}");
            return ExitCodes.BadInput;
        }

        try
        {
            Directory.CreateDirectory(folder);
            foreach (var name in names)
            {
                var path = Path.Combine(folder, name + ".onnx");
                var card = ModelZoo.Write(name, path, seed, scale);
                File.WriteAllText(Path.Combine(folder, name + ".card.json"), JsonSerializer.Serialize(card, CardJson));
                Console.WriteLine($"{path}  {new FileInfo(path).Length / 1048576.0,8:0.0} MiB  {card.FlopsPerSample / 1e9,8:0.000} GFLOP/sample  {card.ParameterCount,11:N0} parameters");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"miginfer models: {folder}: {e.Message}");
            return ExitCodes.BadInput;
        }

        return ExitCodes.Ok;
    }
}

using System.Text.Json;
using MigInfer.Cli.Tests.Fixtures;

namespace MigInfer.Cli.Tests;

public sealed class ModelsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("miginfer-models-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Models_WritesEachModelWithItsCard()
    {
        var (code, stdout, stderr) = await CliProcess.Run(_dir, "models", "--out", "zoo", "--scale", "reduced", "--only", "resnet50,tiny_mlp");

        Assert.True(code == 0, stderr);
        Assert.Equal(2, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        foreach (var name in new[] { "resnet50", "tiny_mlp" })
        {
            Assert.True(new FileInfo(Path.Combine(_dir, "zoo", name + ".onnx")).Length > 0);
            using var card = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "zoo", name + ".card.json")));
            Assert.Equal(name, card.RootElement.GetProperty("name").GetString());
            Assert.Equal("Fp32", card.RootElement.GetProperty("inputs")[0].GetProperty("elementType").GetString());
        }
    }

    [Fact]
    public async Task UnknownModel_ExitsWithTwoAndListsTheKnownOnes()
    {
        var (code, _, stderr) = await CliProcess.Run(_dir, "models", "--out", "zoo", "--only", "vgg16");

        Assert.Equal(2, code);
        Assert.Contains("--only vgg16 is not a model; known: ", stderr);
        Assert.Contains("resnet50", stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "zoo")));
    }
}

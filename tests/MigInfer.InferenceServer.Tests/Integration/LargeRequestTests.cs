using MigInfer.InferenceServer.Tests.Fixtures;
using MigInfer.OnnxModels;

namespace MigInfer.InferenceServer.Tests.Integration;

/// <summary>
/// Requests whose raw contents are large enough for the server's buffer pool: arrays go back to the pool after each
/// answer and are filled again by later requests, so every answer must still be computed from its own inputs.
/// </summary>
public sealed class LargeRequestTests
{
    // 8,192 rows of 4 floats: 128 KiB of raw contents, above the pool's 64 KiB.
    private const int Rows = 8192;

    [Fact]
    public async Task ConcurrentLargeRawRequests_EachGetTheAnswerToTheirOwnInputs()
    {
        await using var server = await RunningServer.StartAsync(RunningServer.OptionsFor(ModelZoo.TinyMlp) with
        {
            MaxBatchSize = Rows * 2,
            MaxQueueDelay = TimeSpan.FromMilliseconds(2),
        });

        // Four clients, ten requests each, every request with its own values; pairs can meet in one batch.
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async client =>
        {
            var results = new List<(float[] Input, float[] Output)>();
            for (var i = 0; i < 10; i++)
            {
                var input = Inputs(seed: (client * 100) + i);
                var response = await server.Grpc.ModelInferAsync(Requests.Fp32(ModelZoo.TinyMlp, "input", input, [Rows, 4], raw: true)).ResponseAsync;
                results.Add((input, Requests.Fp32Output(response, 0)));
            }

            return results;
        })).WithTimeout();

        foreach (var (input, output) in answers.SelectMany(a => a))
        {
            var expected = TinyMlpServer.Expected(input);
            Assert.Equal(expected.Length, output.Length);
            for (var k = 0; k < expected.Length; k++)
            {
                Assert.Equal(expected[k], output[k], 1e-3f);
            }
        }
    }

    private static float[] Inputs(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, Rows * 4).Select(_ => (float)((random.NextDouble() * 4) - 2))];
    }
}

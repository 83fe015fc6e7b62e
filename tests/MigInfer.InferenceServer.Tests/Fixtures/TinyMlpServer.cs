using MigInfer.OnnxModels;

namespace MigInfer.InferenceServer.Tests.Fixtures;

/// <summary>One tiny-MLP server shared by a test class, and the MLP computed independently from its weights.</summary>
public sealed class TinyMlpServer : IAsyncLifetime
{
    private RunningServer? _server;

    internal RunningServer Server => _server ?? throw new InvalidOperationException("not started");

    private static readonly TinyMlpWeights Weights = ModelZoo.BuildTinyMlp().Weights;

    /// <summary>relu(x·W1 + b1)·W2 + b2 for a row-major [n,4] batch, in double precision.</summary>
    public static float[] Expected(float[] input)
    {
        const int In = TinyMlpWeights.InputSize, Hidden = TinyMlpWeights.HiddenSize, Out = TinyMlpWeights.OutputSize;
        var rows = input.Length / In;
        var output = new float[rows * Out];
        for (var r = 0; r < rows; r++)
        {
            var hidden = new double[Hidden];
            for (var h = 0; h < Hidden; h++)
            {
                double sum = Weights.B1[h];
                for (var i = 0; i < In; i++)
                {
                    sum += input[(r * In) + i] * (double)Weights.W1[(i * Hidden) + h];
                }

                hidden[h] = Math.Max(0, sum);
            }

            for (var o = 0; o < Out; o++)
            {
                double sum = Weights.B2[o];
                for (var h = 0; h < Hidden; h++)
                {
                    sum += hidden[h] * Weights.W2[(h * Out) + o];
                }

                output[(r * Out) + o] = (float)sum;
            }
        }

        return output;
    }

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(ModelZoo.TinyMlp);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

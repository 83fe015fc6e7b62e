namespace MigInfer.OnnxModels;

/// <summary>
/// The weights of the tiny MLP, y = relu(x·W1 + b1)·W2 + b2, so a test can compute the expected
/// output itself. Matrices are row-major: W1 is [<see cref="InputSize"/>, <see cref="HiddenSize"/>],
/// W2 is [<see cref="HiddenSize"/>, <see cref="OutputSize"/>].
/// </summary>
public sealed class TinyMlpWeights
{
    public const int InputSize = 4;
    public const int HiddenSize = 8;
    public const int OutputSize = 3;

    internal TinyMlpWeights(float[] w1, float[] b1, float[] w2, float[] b2)
    {
        W1 = w1;
        B1 = b1;
        W2 = w2;
        B2 = b2;
    }

    public IReadOnlyList<float> W1 { get; }

    public IReadOnlyList<float> B1 { get; }

    public IReadOnlyList<float> W2 { get; }

    public IReadOnlyList<float> B2 { get; }

    /// <summary>The MLP on a row-major [n, 4] batch, returning [n, 3] row-major.</summary>
    public float[] Evaluate(ReadOnlySpan<float> input)
    {
        if (input.Length % InputSize != 0)
        {
            throw new ArgumentException($"Input length {input.Length} is not a multiple of {InputSize}.", nameof(input));
        }

        var rows = input.Length / InputSize;
        var output = new float[rows * OutputSize];
        Span<float> hidden = stackalloc float[HiddenSize];
        for (var r = 0; r < rows; r++)
        {
            for (var h = 0; h < HiddenSize; h++)
            {
                var sum = B1[h];
                for (var i = 0; i < InputSize; i++)
                {
                    sum += input[(r * InputSize) + i] * W1[(i * HiddenSize) + h];
                }

                hidden[h] = Math.Max(sum, 0f);
            }

            for (var o = 0; o < OutputSize; o++)
            {
                var sum = B2[o];
                for (var h = 0; h < HiddenSize; h++)
                {
                    sum += hidden[h] * W2[(h * OutputSize) + o];
                }

                output[(r * OutputSize) + o] = sum;
            }
        }

        return output;
    }
}

using Microsoft.ML.OnnxRuntime;

namespace MigInfer.OnnxModels.Tests.Fixtures;

/// <summary>Valid inputs for any zoo model, shaped from its card.</summary>
internal static class SampleInputs
{
    /// <summary>
    /// Inputs with the batch and sequence dimensions bound. Integers stay in [0, 100) so they are
    /// valid token ids for every encoder size; an attention mask masks the last position.
    /// </summary>
    public static OrtInputs For(ModelCard card, long batch, long sequence, int seed)
    {
        var random = new Random(seed);
        var inputs = new OrtInputs();
        foreach (var spec in card.Inputs)
        {
            var shape = Bind(spec.Shape, batch, sequence);
            var count = (int)shape.Aggregate(1L, (a, b) => a * b);
            _ = spec.ElementType switch
            {
                TensorElementType.Fp32 => inputs.Add(spec.Name, Fill(count, i => (float)((random.NextDouble() * 2) - 1)), shape),
                TensorElementType.Fp16 => inputs.Add(spec.Name, Fill(count, i => (Float16)(float)random.Next(-8, 8)), shape),
                TensorElementType.Fp64 => inputs.Add(spec.Name, Fill(count, i => (random.NextDouble() * 2) - 1), shape),
                TensorElementType.Int64 when spec.Name == "attention_mask" =>
                    inputs.Add(spec.Name, Fill(count, i => i % sequence == sequence - 1 && sequence > 1 ? 0L : 1L), shape),
                TensorElementType.Int64 => inputs.Add(spec.Name, Fill(count, i => (long)random.Next(100)), shape),
                TensorElementType.Int32 => inputs.Add(spec.Name, Fill(count, i => random.Next(100)), shape),
                TensorElementType.Int8 => inputs.Add(spec.Name, Fill(count, i => (sbyte)random.Next(-50, 50)), shape),
                TensorElementType.UInt8 => inputs.Add(spec.Name, Fill(count, i => (byte)random.Next(100)), shape),
                TensorElementType.Bool => inputs.Add(spec.Name, Fill(count, i => random.Next(2) == 1), shape),
                _ => inputs.AddStrings(spec.Name, Fill(count, i => $"s{random.Next(100)}"), shape),
            };
        }

        return inputs;
    }

    /// <summary>The concrete shape of a card's tensor at the given batch size and sequence length.</summary>
    public static long[] Bind(IReadOnlyList<Dimension> shape, long batch, long sequence) =>
        [.. shape.Select(d => d.Size ?? (d.Symbol == Dimension.BatchSymbol ? batch : sequence))];

    private static T[] Fill<T>(int count, Func<int, T> element) => [.. Enumerable.Range(0, count).Select(element)];
}

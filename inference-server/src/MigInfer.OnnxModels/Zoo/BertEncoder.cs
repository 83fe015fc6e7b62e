using MigInfer.OnnxModels.Graph;

namespace MigInfer.OnnxModels.Zoo;

/// <summary>
/// BERT-shaped encoder for sequence classification with a dynamic sequence length: word,
/// position and token-type embeddings, post-LayerNorm transformer layers (multi-head
/// self-attention with an additive padding mask, Gelu FFN), tanh pooler on the first token and a
/// 2-way classifier. Weights drawn as BERT initialises them (N(0, 0.02) embeddings).
/// </summary>
internal static class BertEncoder
{
    private const int MaxPositions = 512;
    private const int Labels = 2;

    /// <summary>The sequence length the card's FLOPs are counted at.</summary>
    public const long ReferenceSequenceLength = 128;

    private sealed record Config(int Layers, int Hidden, int Heads, int Intermediate, int Vocabulary);

    public static ZooModel Build(int seed, ModelScale scale)
    {
        var config = scale == ModelScale.Full
            ? new Config(Layers: 12, Hidden: 768, Heads: 12, Intermediate: 3072, Vocabulary: 30522)
            : new Config(Layers: 2, Hidden: 128, Heads: 2, Intermediate: 512, Vocabulary: 1000);
        var g = new GraphBuilder(ModelZoo.BertBase, seed, new Dictionary<string, long> { [Dimension.SequenceSymbol] = ReferenceSequenceLength });
        var ids = g.Input("input_ids", TensorElementType.Int64, Dimension.Batch, Dimension.Sequence);
        var mask = g.Input("attention_mask", TensorElementType.Int64, Dimension.Batch, Dimension.Sequence);

        var x = Embeddings(g, ids, config);
        var maskBias = AttentionMaskBias(g, mask);
        for (var layer = 0; layer < config.Layers; layer++)
        {
            x = EncoderLayer(g, x, maskBias, config, $"encoder.layer.{layer}");
        }

        var first = g.Gather(x, g.Constant("cls_index", TensorElementType.Int64, new long[] { 0 }), axis: 1);
        var pooled = g.Unary("Tanh", g.Linear(first, config.Hidden, "pooler.dense"));
        g.Output(g.Linear(pooled, Labels, "classifier"), "logits");

        // Padded positions get -10000 in the attention scores and the pooler reads the first token,
        // so zero-padding a request along the sequence leaves its logits unchanged.
        g.Metadata(ModelZoo.PadDimensionsKey, Dimension.SequenceSymbol);
        g.Metadata(ModelZoo.MaxDimensionsKey, $"{Dimension.SequenceSymbol}={MaxPositions}");
        return g.Build(
            $"BERT-shaped encoder ({config.Layers} layers, hidden {config.Hidden}, {config.Heads} heads, FFN {config.Intermediate}, " +
            $"vocabulary {config.Vocabulary}), dynamic sequence length, 2 logits");
    }

    private static Value Embeddings(GraphBuilder g, Value ids, Config config)
    {
        var words = g.NormalParameter("embeddings.word_embeddings", 0.02, config.Vocabulary, config.Hidden);
        var positions = g.NormalParameter("embeddings.position_embeddings", 0.02, MaxPositions, config.Hidden);
        var types = g.NormalParameter("embeddings.token_type_embeddings", 0.02, 2, config.Hidden);

        // Every token has type 0: the model takes no token_type_ids input.
        var typeRow = g.Gather(types, g.Constant("token_type", TensorElementType.Int64, new long[] { 0 }));
        var positionRows = g.SliceRows(positions, g.DimOf(ids, 1), Dimension.Sequence);
        var sum = g.Add(g.Add(g.Gather(words, ids), positionRows), typeRow);
        return g.LayerNorm(sum, "embeddings.LayerNorm");
    }

    /// <summary>(1 - mask) * -10000 as [N, 1, 1, S], added to the attention scores.</summary>
    private static Value AttentionMaskBias(GraphBuilder g, Value mask)
    {
        var keep = g.Cast(mask, TensorElementType.Fp32);
        var masked = g.Sub(g.ScalarFp32("one", 1f), keep);
        return g.Unsqueeze(g.Mul(masked, g.ScalarFp32("mask_value", -10000f)), 1, 2);
    }

    private static Value EncoderLayer(GraphBuilder g, Value x, Value maskBias, Config config, string name)
    {
        var headSize = config.Hidden / config.Heads;
        var query = SplitHeads(g, g.Linear(x, config.Hidden, name + ".attention.self.query"), config, 0, 2, 1, 3);
        var key = SplitHeads(g, g.Linear(x, config.Hidden, name + ".attention.self.key"), config, 0, 2, 3, 1);
        var value = SplitHeads(g, g.Linear(x, config.Hidden, name + ".attention.self.value"), config, 0, 2, 1, 3);

        var scale = g.Shared("attention_scale", () => g.ScalarFp32("attention_scale", (float)(1 / Math.Sqrt(headSize))));
        var scores = g.Mul(g.MatMul(query, key), scale);
        var probabilities = g.Softmax(g.Add(scores, maskBias));
        var context = g.Transpose(g.MatMul(probabilities, value), 0, 2, 1, 3);
        context = g.Reshape(context, Dimension.Batch, Dimension.Sequence, Dimension.Fixed(config.Hidden));

        var attention = g.Linear(context, config.Hidden, name + ".attention.output.dense");
        x = g.LayerNorm(g.Add(attention, x), name + ".attention.output.LayerNorm");

        var intermediate = g.Gelu(g.Linear(x, config.Intermediate, name + ".intermediate.dense"));
        var output = g.Linear(intermediate, config.Hidden, name + ".output.dense");
        return g.LayerNorm(g.Add(output, x), name + ".output.LayerNorm");
    }

    /// <summary>[N, S, H] to [N, S, heads, H/heads], then transposed by <paramref name="perm"/>.</summary>
    private static Value SplitHeads(GraphBuilder g, Value x, Config config, params long[] perm)
    {
        var heads = g.Reshape(x, Dimension.Batch, Dimension.Sequence, Dimension.Fixed(config.Heads), Dimension.Fixed(config.Hidden / config.Heads));
        return g.Transpose(heads, perm);
    }
}

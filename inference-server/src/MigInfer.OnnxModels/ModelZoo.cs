using MigInfer.OnnxModels.Zoo;

namespace MigInfer.OnnxModels;

/// <summary>
/// Writes the zoo's ONNX models (opset 17, IR version 8) with seeded random weights: the same
/// name, seed and scale always give the same bytes. Batchable models have the symbolic first
/// dimension <c>batch</c>.
/// </summary>
public static class ModelZoo
{
    /// <summary>ResNet-50-shaped CNN: "input" FP32 [batch,3,224,224] to "logits" FP32 [batch,1000].</summary>
    public const string ResNet50 = "resnet50";

    /// <summary>MobileNetV2-shaped CNN: "input" FP32 [batch,3,224,224] to "logits" FP32 [batch,1000].</summary>
    public const string MobileNetV2 = "mobilenet_v2";

    /// <summary>
    /// BERT-base-shaped encoder: "input_ids" and "attention_mask" INT64 [batch,sequence] to
    /// "logits" FP32 [batch,2]; sequence at most 512.
    /// </summary>
    public const string BertBase = "bert_base";

    /// <summary>Tiny MLP: "input" FP32 [batch,4] to "output" FP32 [batch,3]; see <see cref="BuildTinyMlp"/>.</summary>
    public const string TinyMlp = "tiny_mlp";

    /// <summary>"input" BOOL [batch,4] to "output" = not input.</summary>
    public const string NotBool = "not_bool";

    /// <summary>
    /// "input" FP32 [batch,4] to seven outputs named fp16, fp64, int64, int32, int8, uint8 and
    /// bool, each the input cast to that type (ONNX Cast semantics: truncation toward zero, nonzero is true).
    /// </summary>
    public const string CastFp32 = "cast_fp32";

    /// <summary>"input" FP32 [2,4] to "output" = 2 * input; the fixed first dimension makes it not batchable.</summary>
    public const string FixedShape = "fixed_shape";

    /// <summary>
    /// "input" FP32 [batch,sequence] to "output" = 2 * input [batch,sequence], marked paddable along
    /// <c>sequence</c>: the smallest model on which a server's padding and cropping can be checked by hand.
    /// </summary>
    public const string SequenceDouble = "sequence_double";

    /// <summary>
    /// The model metadata key (ONNX <c>metadata_props</c>) naming the symbolic dimensions along which
    /// requests may be zero-padded to share a batch, comma-separated (the BERT-shaped encoder declares
    /// <c>sequence</c>: its attention mask makes padded positions invisible). Outputs with the same
    /// symbolic dimension are cropped back to each request's length.
    /// </summary>
    public const string PadDimensionsKey = "miginfer.pad_dims";

    /// <summary>
    /// The model metadata key giving the longest length of symbolic dimensions, <c>name=length</c> comma-separated (the
    /// BERT-shaped encoder declares <c>sequence=512</c>, the rows of its position table). A server refuses longer
    /// requests and warms up at these lengths.
    /// </summary>
    public const string MaxDimensionsKey = "miginfer.max_dims";

    /// <summary>The datatypes that have an Add/Sub model (<see cref="AddSubModelName"/>).</summary>
    public static IReadOnlyList<TensorElementType> AddSubTypes { get; } =
    [
        TensorElementType.Fp32, TensorElementType.Fp16, TensorElementType.Fp64,
        TensorElementType.Int64, TensorElementType.Int32, TensorElementType.Int8, TensorElementType.UInt8,
    ];

    // After AddSubTypes on purpose: static initializers run in textual order.
    private static readonly Dictionary<string, Func<int, ModelScale, ZooModel>> Builders = CreateBuilders();

    /// <summary>Every model name, large models first.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Builders.Keys];

    /// <summary>"identity_fp32", "identity_bytes", ...: "input" [batch,4] to "output" = input, for every datatype.</summary>
    public static string IdentityModelName(TensorElementType type) => "identity_" + type.ToString().ToLowerInvariant();

    /// <summary>
    /// "add_sub_int32", ...: "input0" and "input1" [batch,4] to "sum" = input0 + input1 and
    /// "difference" = input0 - input1 (two inputs, two outputs, for requested-output filtering).
    /// </summary>
    public static string AddSubModelName(TensorElementType type) => "add_sub_" + type.ToString().ToLowerInvariant();

    /// <summary>Builds the model <paramref name="name"/> in memory.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="seed">Seed of the random weights; models without weights ignore it.</param>
    /// <param name="scale">Size of the ResNet, MobileNet and BERT models; see <see cref="ModelScale"/>.</param>
    public static ZooModel Build(string name, int seed = 0, ModelScale scale = ModelScale.Full)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Builders.TryGetValue(name, out var build)
            ? build(seed, scale)
            : throw new ArgumentException($"Unknown model '{name}'. Known models: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>Builds the model <paramref name="name"/> and writes it to <paramref name="path"/>, returning its card.</summary>
    public static ModelCard Write(string name, string path, int seed = 0, ModelScale scale = ModelScale.Full)
    {
        var model = Build(name, seed, scale);
        File.WriteAllBytes(path, model.OnnxBytes.Span);
        return model.Card;
    }

    /// <summary>The tiny MLP with the weights it was written with.</summary>
    public static TinyMlpModel BuildTinyMlp(int seed = 0) => TinyModels.TinyMlp(seed);

    private static Dictionary<string, Func<int, ModelScale, ZooModel>> CreateBuilders()
    {
        var builders = new Dictionary<string, Func<int, ModelScale, ZooModel>>(StringComparer.Ordinal)
        {
            [ResNet50] = Zoo.ResNet50.Build,
            [MobileNetV2] = Zoo.MobileNetV2.Build,
            [BertBase] = BertEncoder.Build,
            [TinyMlp] = (seed, _) => TinyModels.TinyMlp(seed).Model,
        };
        foreach (var type in Enum.GetValues<TensorElementType>())
        {
            builders[IdentityModelName(type)] = (_, _) => TinyModels.Identity(type);
        }

        foreach (var type in AddSubTypes)
        {
            builders[AddSubModelName(type)] = (_, _) => TinyModels.AddSub(type);
        }

        builders[NotBool] = (_, _) => TinyModels.NotBool();
        builders[CastFp32] = (_, _) => TinyModels.CastFp32();
        builders[FixedShape] = (_, _) => TinyModels.FixedShape();
        builders[SequenceDouble] = (_, _) => TinyModels.SequenceDouble();
        return builders;
    }
}

namespace MigInfer.OnnxModels.Tests.Fixtures;

/// <summary>The full-size ResNet-50, MobileNetV2 and BERT-base, built once per test class (about 550 MB).</summary>
public sealed class FullSizeModels
{
    private readonly Lazy<ZooModel> _resNet50 = new(() => ModelZoo.Build(ModelZoo.ResNet50, seed: 1));
    private readonly Lazy<ZooModel> _mobileNetV2 = new(() => ModelZoo.Build(ModelZoo.MobileNetV2, seed: 1));
    private readonly Lazy<ZooModel> _bertBase = new(() => ModelZoo.Build(ModelZoo.BertBase, seed: 1));

    public ZooModel ResNet50 => _resNet50.Value;

    public ZooModel MobileNetV2 => _mobileNetV2.Value;

    public ZooModel BertBase => _bertBase.Value;

    public ZooModel Get(string name) => name switch
    {
        ModelZoo.ResNet50 => ResNet50,
        ModelZoo.MobileNetV2 => MobileNetV2,
        ModelZoo.BertBase => BertBase,
        _ => throw new ArgumentException($"'{name}' is not a full-size model.", nameof(name)),
    };
}

namespace MigInfer.OnnxModels;

/// <summary>
/// Size knob of the large zoo models. <see cref="Full"/> has the published architecture's
/// widths and depths (ResNet-50 about 25.6M parameters, about 100 MB; BERT-base about 110M
/// parameters, about 440 MB); <see cref="Reduced"/> keeps the topology, input and output
/// signatures but shrinks them so a test runs in seconds on a CPU:
/// ResNet-50 with every width divided by 8, MobileNetV2 with width multiplier 0.25 and the
/// BERT encoder with 2 layers, hidden 128, 2 heads, FFN 512 and a 1,000-token vocabulary.
/// The tiny test models ignore it.
/// </summary>
public enum ModelScale
{
    Full,
    Reduced,
}

namespace MigInfer.OnnxModels;

/// <summary>The tiny MLP model together with the weights it was written with.</summary>
/// <param name="Model">The serialized model and its card.</param>
/// <param name="Weights">The weights, for computing expected outputs independently.</param>
public sealed record TinyMlpModel(ZooModel Model, TinyMlpWeights Weights);

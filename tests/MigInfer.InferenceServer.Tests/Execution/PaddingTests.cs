using System.Runtime.InteropServices;
using MigInfer.InferenceServer.Execution;
using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Tests.Execution;

public sealed class PaddingTests
{
    private static readonly (string, IReadOnlyList<string>)[] BertInputs =
        [("input_ids", ["batch", "sequence"]), ("attention_mask", ["batch", "sequence"])];

    private static readonly (string, IReadOnlyList<string>)[] BertOutputs =
        [("logits", ["batch", ""]), ("hidden", ["batch", "sequence", ""])];

    [Fact]
    public void Plan_FindsTheDeclaredAxesOfInputsAndOutputs()
    {
        var plan = PaddingPlan.Create("sequence", BertInputs, BertOutputs);

        Assert.Equal([new PaddedAxis(1, "sequence")], plan.Inputs[0]);
        Assert.Equal([new PaddedAxis(1, "sequence")], plan.Inputs[1]);
        Assert.Equal([0], plan.TrailingAxes[0]);
        Assert.False(plan.Outputs.ContainsKey("logits"));
        Assert.Equal([new PaddedAxis(1, "sequence")], plan.Outputs["hidden"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void Plan_WithoutADeclaration_PadsNothing(string? declared) =>
        Assert.True(PaddingPlan.Create(declared, BertInputs, BertOutputs).IsEmpty);

    [Theory]
    [InlineData("tokens", "'tokens' is not a symbolic dimension of any input past the first (inputs: input_ids[batch,sequence], attention_mask[batch,sequence])")]
    [InlineData("batch", "'batch' is the batch dimension, which is never padded")]
    public void Plan_WithAWrongDeclaration_NamesTheKeyAndTheDimension(string declared, string expected)
    {
        var error = Assert.Throws<NotSupportedException>(() => PaddingPlan.Create(declared, BertInputs, BertOutputs));

        Assert.Contains("miginfer.pad_dims = '" + declared + "'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JoinAndSplit_PadToTheLongestMemberAndCropEachAnswerBack()
    {
        var plan = PaddingPlan.Create("sequence", [("x", ["batch", "sequence"])], [("y", ["batch", "sequence"]), ("sum", ["batch", ""])]);
        ValidatedInputs[] members = [Member([[1, 2, 3]]), Member([[4, 5], [6, 7]])];

        var joined = Assert.Single(BatchAssembler.Join(members, plan));

        Assert.Equal([3L, 3L], joined.Shape);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 0f, 6f, 7f, 0f], Floats(joined));

        // What a model would answer: y = x (padded rows and all) and one value per row.
        var y = TensorData.Numeric("y", DataType.Fp32, joined.Shape, joined.Raw);
        var sum = TensorData.Numeric("sum", DataType.Fp32, [3, 1], Bytes([6f, 9f, 13f]));
        var split = BatchAssembler.Split([y, sum], members, plan);

        Assert.Equal([1L, 3L], split[0][0].Shape);
        Assert.Equal([1f, 2f, 3f], Floats(split[0][0]));
        Assert.Equal([2L, 2L], split[1][0].Shape);
        Assert.Equal([4f, 5f, 6f, 7f], Floats(split[1][0]));
        Assert.Equal([2L, 1L], split[1][1].Shape);
        Assert.Equal([9f, 13f], Floats(split[1][1]));
    }

    [Fact]
    public void Join_WithoutPadding_ConcatenatesRows()
    {
        ValidatedInputs[] members = [Member([[1, 2]]), Member([[3, 4]])];

        var joined = Assert.Single(BatchAssembler.Join(members, PaddingPlan.None));

        Assert.Equal([2L, 2L], joined.Shape);
        Assert.Equal([1f, 2f, 3f, 4f], Floats(joined));
    }

    private static ValidatedInputs Member(float[][] rows)
    {
        var data = rows.SelectMany(r => r).ToArray();
        return new ValidatedInputs([TensorData.Numeric("x", DataType.Fp32, [rows.Length, rows[0].Length], Bytes(data))], rows.Length);
    }

    private static byte[] Bytes(float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static float[] Floats(TensorData tensor) => MemoryMarshal.Cast<byte, float>(tensor.Raw).ToArray();
}

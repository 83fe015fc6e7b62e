using Grpc.Core;
using MigInfer.InferenceServer.Grpc;
using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Protocol;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Peers;

/// <summary>A peer's answer back to outputs (raw contents, as <see cref="GrpcTensorMapper.ToModelInferRequest"/> forwards), and its status to an error.</summary>
internal static class PeerMessages
{
    public static InferResult FromResponse(ModelInferResponse response)
    {
        if (response.RawOutputContents.Count != response.Outputs.Count)
        {
            throw new InferenceException(ErrorKind.Internal, $"{response.Outputs.Count} outputs but {response.RawOutputContents.Count} raw contents");
        }

        var outputs = new TensorData[response.Outputs.Count];
        for (var i = 0; i < outputs.Length; i++)
        {
            var output = response.Outputs[i];
            var header = TensorHeader.Parse($"outputs[{i}]", output.Name, output.Datatype, [.. output.Shape]);
            outputs[i] = RawContentsCodec.Decode(header, $"raw_output_contents[{i}]", response.RawOutputContents[i].Memory);
        }

        var profile = response.Parameters.TryGetValue(InferResult.SliceProfileParameter, out var parameter) ? parameter.StringParam : string.Empty;
        return new InferResult(outputs, profile);
    }

    /// <summary>The error a peer's status becomes for the client: the same status, so a forward is invisible.</summary>
    public static ErrorKind KindOf(StatusCode status) => status switch
    {
        StatusCode.InvalidArgument => ErrorKind.InvalidArgument,
        StatusCode.NotFound => ErrorKind.NotFound,
        StatusCode.Unavailable => ErrorKind.Unavailable,
        StatusCode.ResourceExhausted => ErrorKind.QueueFull,
        StatusCode.DeadlineExceeded => ErrorKind.DeadlineExceeded,
        StatusCode.Cancelled => ErrorKind.Cancelled,
        _ => ErrorKind.Internal,
    };
}

using Google.Protobuf;
using Google.Protobuf.Collections;
using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Protocol;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Grpc;

/// <summary>Maps <see cref="ModelInferRequest"/> to <see cref="InferRequest"/> and outputs back to <see cref="ModelInferResponse"/>.</summary>
internal static class GrpcTensorMapper
{
    public static InferRequest ToInferRequest(ModelInferRequest request)
    {
        var raw = request.RawInputContents.Count > 0;
        if (raw && request.RawInputContents.Count != request.Inputs.Count)
        {
            throw InferenceException.Invalid($"raw_input_contents has {request.RawInputContents.Count} entries but inputs has {request.Inputs.Count}; raw contents hold one entry per input");
        }

        var inputs = new TensorData[request.Inputs.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            var input = request.Inputs[i];
            var header = TensorHeader.Parse($"inputs[{i}]", input.Name, input.Datatype, [.. input.Shape]);
            if (raw && input.Contents is { } contents && contents.CalculateSize() > 0)
            {
                throw header.Invalid("contents", "is set together with raw_input_contents; a request uses one form for every input");
            }

            inputs[i] = raw
                ? RawContentsCodec.Decode(header, $"raw_input_contents[{i}]", request.RawInputContents[i].Memory)
                : TypedContentsCodec.Decode(header, input.Contents ?? new InferTensorContents());
        }

        var outputs = new string[request.Outputs.Count];
        for (var i = 0; i < outputs.Length; i++)
        {
            outputs[i] = request.Outputs[i].Name is { Length: > 0 } name ? name : throw InferenceException.Invalid($"outputs[{i}].name is empty");
        }

        return new InferRequest(
            request.ModelName,
            request.ModelVersion,
            request.Id,
            inputs,
            outputs,
            Timeout(request.Parameters),
            request.Parameters.TryGetValue(InferRequest.WarmUpParameter, out var warmUp) && warmUp.BoolParam);
    }

    /// <summary>
    /// A request carrying <paramref name="tensors"/> as inputs: as raw contents (how a peer forwards, and how FP16 and
    /// BF16 travel) or as typed contents, which needs a typed field for every datatype.
    /// </summary>
    public static ModelInferRequest ToModelInferRequest(string model, string version, IReadOnlyList<TensorData> tensors, bool raw)
    {
        var request = new ModelInferRequest { ModelName = model, ModelVersion = version };
        foreach (var tensor in tensors)
        {
            var input = new ModelInferRequest.Types.InferInputTensor { Name = tensor.Name, Datatype = tensor.DataType.WireName() };
            input.Shape.AddRange(tensor.Shape);
            if (raw)
            {
                request.RawInputContents.Add(UnsafeByteOperations.UnsafeWrap(RawContentsCodec.Encode(tensor)));
            }
            else
            {
                input.Contents = TypedContentsCodec.Encode(tensor);
            }

            request.Inputs.Add(input);
        }

        return request;
    }

    /// <summary>Builds the answer, naming the slice that computed it (<see cref="InferResult.SliceProfileParameter"/>): raw when the request was raw or an output has no typed field (FP16, BF16).</summary>
    public static ModelInferResponse ToResponse(ModelInferRequest request, string version, InferResult result)
    {
        var outputs = result.Outputs;
        var response = new ModelInferResponse { ModelName = request.ModelName, ModelVersion = version, Id = request.Id };
        response.Parameters[InferResult.SliceProfileParameter] = new InferParameter { StringParam = result.SliceProfile };
        var raw = request.RawInputContents.Count > 0 || outputs.Any(o => !TypedContentsCodec.HasTypedField(o.DataType));
        foreach (var output in outputs)
        {
            var tensor = new ModelInferResponse.Types.InferOutputTensor { Name = output.Name, Datatype = output.DataType.WireName() };
            tensor.Shape.AddRange(output.Shape);
            if (raw)
            {
                response.RawOutputContents.Add(UnsafeByteOperations.UnsafeWrap(RawContentsCodec.Encode(output)));
            }
            else
            {
                tensor.Contents = TypedContentsCodec.Encode(output);
            }

            response.Outputs.Add(tensor);
        }

        return response;
    }

    /// <summary>Triton's <c>timeout</c> request parameter, in microseconds.</summary>
    private static TimeSpan? Timeout(MapField<string, InferParameter> parameters)
    {
        if (!parameters.TryGetValue("timeout", out var timeout))
        {
            return null;
        }

        var micros = timeout.ParameterChoiceCase switch
        {
            InferParameter.ParameterChoiceOneofCase.Int64Param when timeout.Int64Param >= 0 => timeout.Int64Param,
            InferParameter.ParameterChoiceOneofCase.Uint64Param when timeout.Uint64Param <= long.MaxValue => (long)timeout.Uint64Param,
            _ => throw InferenceException.Invalid($"parameters.timeout is {timeout} but must be a non-negative int64_param or uint64_param in microseconds"),
        };
        return TimeSpan.FromMicroseconds(Math.Min(micros, (long)TimeSpan.MaxValue.TotalMicroseconds / 2));
    }
}

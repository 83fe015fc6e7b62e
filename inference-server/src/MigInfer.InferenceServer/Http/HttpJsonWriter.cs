using System.Text.Encodings.Web;
using System.Text.Json;
using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Http;

/// <summary>Writes the HTTP/JSON v2 answers straight to the response body.</summary>
internal static class HttpJsonWriter
{
    /// <summary>
    /// Escapes only what JSON requires (quotes, backslashes, control characters), so messages read as written
    /// (<c>'input'</c>, not <c>\u0027input\u0027</c>). Safe here: the answers are <c>application/json</c>, never HTML.
    /// </summary>
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, Options))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return context.Response.BodyWriter.FlushAsync(context.RequestAborted).AsTask();
    }

    public static Task WriteErrorAsync(HttpContext context, ErrorKind kind, string message) =>
        WriteAsync(context, kind.ToHttp(), w => w.WriteString("error", message));

    public static void WriteInferResponse(Utf8JsonWriter writer, InferRequest request, string version, InferResult result)
    {
        writer.WriteString("model_name", request.ModelName);
        writer.WriteString("model_version", version);
        writer.WriteString("id", request.Id);
        writer.WriteStartObject("parameters");
        writer.WriteString(InferResult.SliceProfileParameter, result.SliceProfile);
        writer.WriteEndObject();
        writer.WriteStartArray("outputs");
        foreach (var output in result.Outputs)
        {
            WriteTensor(writer, output);
        }

        writer.WriteEndArray();
    }

    /// <summary>One tensor as v2 JSON: <c>{"name", "datatype", "shape", "data"}</c>, an output or a request's input.</summary>
    public static void WriteTensor(Utf8JsonWriter writer, TensorData tensor)
    {
        writer.WriteStartObject();
        writer.WriteString("name", tensor.Name);
        writer.WriteString("datatype", tensor.DataType.WireName());
        WriteShape(writer, tensor.Shape);
        writer.WritePropertyName("data");
        JsonTensorCodec.WriteData(writer, tensor);
        writer.WriteEndObject();
    }

    public static void WriteModelMetadata(Utf8JsonWriter writer, string name, string version, ModelSignature signature)
    {
        writer.WriteString("name", name);
        writer.WriteStartArray("versions");
        writer.WriteStringValue(version);
        writer.WriteEndArray();
        writer.WriteString("platform", ModelPlatform.Name);
        WriteSpecs(writer, "inputs", signature.Inputs);
        WriteSpecs(writer, "outputs", signature.Outputs);
    }

    /// <summary>The slice report, camelCase as the operator reads it.</summary>
    public static void WriteSliceReport(Utf8JsonWriter writer, SliceReport report)
    {
        writer.WriteString("model", report.Model);
        writer.WriteString("version", report.Version);
        writer.WriteString("sliceProfile", report.SliceProfile);
        writer.WriteString("executionProvider", report.ExecutionProvider);
        writer.WriteBoolean("ready", report.Ready);
        if (report.Device is { } device)
        {
            writer.WriteStartObject("device");
            writer.WriteString("visibleDevices", device.VisibleDevices);
            writer.WriteString("migUuid", device.MigUuid);
            writer.WriteString("gpuUuid", device.GpuUuid);
            WriteNumberOrNull(writer, "gpuIndex", device.GpuIndex);
            WriteNumberOrNull(writer, "gpuInstanceId", device.GpuInstanceId);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("device");
        }

        writer.WriteStartArray("observedProfile");
        foreach (var point in report.ObservedProfile)
        {
            writer.WriteStartObject();
            writer.WriteNumber("batch", point.Batch);
            writer.WriteNumber("ms", point.Ms);
            writer.WriteNumber("samples", point.Samples);
            writer.WriteNumber("errorPct", point.ErrorPct);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string property, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(property, number);
        }
        else
        {
            writer.WriteNull(property);
        }
    }

    private static void WriteSpecs(Utf8JsonWriter writer, string property, IReadOnlyList<TensorSpec> specs)
    {
        writer.WriteStartArray(property);
        foreach (var spec in specs)
        {
            writer.WriteStartObject();
            writer.WriteString("name", spec.Name);
            writer.WriteString("datatype", spec.DataType.WireName());
            WriteShape(writer, spec.Shape);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteShape(Utf8JsonWriter writer, long[] shape)
    {
        writer.WriteStartArray("shape");
        foreach (var dim in shape)
        {
            writer.WriteNumberValue(dim);
        }

        writer.WriteEndArray();
    }
}

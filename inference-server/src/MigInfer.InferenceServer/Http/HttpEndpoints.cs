using System.Text.Json;
using MigInfer.InferenceServer.Device;
using MigInfer.InferenceServer.Grpc;
using MigInfer.InferenceServer.Hosting;
using MigInfer.InferenceServer.Model;
using MigInfer.InferenceServer.Tensors;

namespace MigInfer.InferenceServer.Http;

/// <summary>The KServe v2 HTTP/JSON endpoints and the slice report (<c>/v2/slice</c>); errors answer <c>{"error": "..."}</c> with the matching status.</summary>
internal static class HttpEndpoints
{
    public static RouteGroupBuilder MapInferenceHttp(this IEndpointRouteBuilder app)
    {
        // The device never changes while the process runs: read it once, at startup, where its log line
        // belongs. Tests register their own probe so no process-wide variable is touched.
        var services = app.ServiceProvider;
        var device = (services.GetService<SliceDeviceProbe>() ?? SliceDeviceProbe.ForProcess()).Read(services.GetRequiredService<ILogger<SliceDeviceProbe>>());
        var v2 = app.MapGroup("/v2");
        v2.MapGet("/health/live", Guard((ctx, _) => HttpJsonWriter.WriteAsync(ctx, StatusCodes.Status200OK, w => w.WriteBoolean("live", true))));
        v2.MapGet("/health/ready", Guard((ctx, engine) =>
        {
            var ready = engine.State == EngineState.Ready;
            return HttpJsonWriter.WriteAsync(ctx, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, w => w.WriteBoolean("ready", ready));
        }));
        v2.MapGet("", Guard((ctx, _) => HttpJsonWriter.WriteAsync(ctx, StatusCodes.Status200OK, w =>
        {
            w.WriteString("name", "miginfer");
            w.WriteString("version", InferenceGrpcService.ServerVersion);
            w.WriteStartArray("extensions");
            foreach (var extension in InferenceGrpcService.Extensions)
            {
                w.WriteStringValue(extension);
            }

            w.WriteEndArray();
        })));
        v2.MapGet("/slice", Guard((ctx, engine) => HttpJsonWriter.WriteAsync(ctx, StatusCodes.Status200OK, w => HttpJsonWriter.WriteSliceReport(w, SliceReport.Of(engine, device)))));
        foreach (var prefix in new[] { "/models/{model}", "/models/{model}/versions/{version}" })
        {
            v2.MapGet(prefix, Guard(MetadataAsync));
            v2.MapGet(prefix + "/ready", Guard(ReadyAsync));
            v2.MapPost(prefix + "/infer", Guard(InferAsync));
        }

        return v2;
    }

    private static Task MetadataAsync(HttpContext context, InferenceEngine engine)
    {
        var (model, version) = Route(context);
        var signature = engine.Find(model, version);
        return HttpJsonWriter.WriteAsync(context, StatusCodes.Status200OK, w => HttpJsonWriter.WriteModelMetadata(w, model, engine.Options.ModelVersion, signature));
    }

    private static Task ReadyAsync(HttpContext context, InferenceEngine engine)
    {
        var (model, version) = Route(context);
        engine.CheckServed(model, version);
        var ready = engine.IsModelReady(model, version);
        return HttpJsonWriter.WriteAsync(context, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, w =>
        {
            w.WriteString("name", model);
            w.WriteBoolean("ready", ready);
        });
    }

    private static async Task InferAsync(HttpContext context, InferenceEngine engine)
    {
        var (model, version) = Route(context);
        engine.Find(model, version);
        using var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
        var request = HttpJsonRequestReader.Read(body.RootElement, model, version);
        var result = await engine.InferAsync(request, null, context.RequestAborted).ConfigureAwait(false);
        await HttpJsonWriter.WriteAsync(context, StatusCodes.Status200OK, w => HttpJsonWriter.WriteInferResponse(w, request, engine.Options.ModelVersion, result)).ConfigureAwait(false);
    }

    private static (string Model, string Version) Route(HttpContext context) =>
        ((string)context.Request.RouteValues["model"]!, context.Request.RouteValues["version"] as string ?? "");

    /// <summary>The one error path of the HTTP front end.</summary>
    private static RequestDelegate Guard(Func<HttpContext, InferenceEngine, Task> handler) => async context =>
    {
        var engine = context.RequestServices.GetRequiredService<InferenceEngine>();
        try
        {
            await handler(context, engine).ConfigureAwait(false);
        }
        catch (InferenceException ex)
        {
            await HttpJsonWriter.WriteErrorAsync(context, ex.Kind, ex.Message).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await HttpJsonWriter.WriteErrorAsync(context, ErrorKind.MessageTooLarge, $"the request body is larger than the limit of {engine.Options.MaxMessageBytes} bytes").ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            await HttpJsonWriter.WriteErrorAsync(context, ErrorKind.InvalidArgument, ex.Message).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await HttpJsonWriter.WriteErrorAsync(context, ErrorKind.InvalidArgument, $"the request body is not valid JSON: {ex.Message}").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (Exception ex)
        {
            context.RequestServices.GetRequiredService<ILogger<InferenceEngine>>().UnexpectedFailure(ex, context.Request.Path);
            await HttpJsonWriter.WriteErrorAsync(context, ErrorKind.Internal, $"internal error: {ex.Message}").ConfigureAwait(false);
        }
    };
}

using k8s.Models;
using MigInfer.Operator.Resources;

namespace MigInfer.Operator.Rendering;

/// <summary>The two Services of an InferenceService: ClusterIP for clients, headless for the slices to find their peers.</summary>
internal static class ServiceRenderer
{
    public static V1Service Client(InferenceService service) => Render(service, Names.ClientService(service.Metadata.Name), headless: false);

    public static V1Service Peers(InferenceService service) => Render(service, Names.PeerService(service.Metadata.Name), headless: true);

    private static V1Service Render(InferenceService service, string name, bool headless) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = service.Metadata.NamespaceProperty,
            Labels = OwnedLabels.For(service.Metadata.Name, headless ? "peers" : "predictor"),
            OwnerReferences = [SlicePodRenderer.Owner(service)],
        },
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            ClusterIP = headless ? "None" : null,
            PublishNotReadyAddresses = headless ? false : null,
            Selector = SlicePodRenderer.Selector(service.Metadata.Name),
            Ports = headless
                ? [new V1ServicePort { Name = "grpc", Port = SlicePodRenderer.GrpcPort, TargetPort = "grpc", AppProtocol = "grpc" }]
                :
                [
                    new V1ServicePort { Name = "http", Port = SlicePodRenderer.HttpPort, TargetPort = "http", AppProtocol = "http" },
                    new V1ServicePort { Name = "grpc", Port = SlicePodRenderer.GrpcPort, TargetPort = "grpc", AppProtocol = "grpc" },
                    new V1ServicePort { Name = "metrics", Port = SlicePodRenderer.MetricsPort, TargetPort = "metrics" },
                ],
        },
    };
}

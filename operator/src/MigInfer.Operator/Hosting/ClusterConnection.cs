using k8s;
using k8s.Exceptions;

namespace MigInfer.Operator.Hosting;

/// <summary>
/// Where the operator finds the Kubernetes API: the kubeconfig <c>$KUBECONFIG</c> names, else <c>~/.kube/config</c>,
/// else the pod's service account (KubernetesClient's own order). With none of them KubernetesClient falls back to
/// http://localhost:8080, which is the operator's own metrics port: it would watch itself and retry forever. That
/// case is refused here with a message that says what to give.
/// </summary>
internal static class ClusterConnection
{
    public static KubernetesClientConfiguration Load() =>
        Load(Environment.GetEnvironmentVariable, File.Exists, KubernetesClientConfiguration.IsInCluster);

    internal static KubernetesClientConfiguration Load(Func<string, string?> environment, Func<string, bool> fileExists, Func<bool> inCluster)
    {
        if (string.IsNullOrEmpty(environment("KUBECONFIG")) && !fileExists(KubernetesClientConfiguration.KubeConfigDefaultLocation) && !inCluster())
        {
            throw new InvalidOperationException(
                $"no Kubernetes API to talk to: KUBECONFIG is unset, {KubernetesClientConfiguration.KubeConfigDefaultLocation} does not exist, " +
                "and this is not a pod with a service account (KUBERNETES_SERVICE_HOST and its token); run it in the cluster (helm install) or set KUBECONFIG");
        }

        try
        {
            return KubernetesClientConfiguration.BuildDefaultConfig();
        }
        catch (KubeConfigException e)
        {
            throw new InvalidOperationException($"the Kubernetes configuration cannot be used (KUBECONFIG = '{environment("KUBECONFIG")}'): {e.Message}", e);
        }
    }
}

using System.Text.RegularExpressions;
using k8s.Models;

namespace MigInfer.Operator.Reconcilers;

/// <summary>
/// Why a slice pod does not come up, in one line for the InferenceService's PredictorReady condition: the scheduler's
/// or the kubelet's refusal, else the first container (init containers first) that waits for a reason other than
/// starting, or that exited with an error, with the line of its termination message that says why. Slice pods use
/// <c>FallbackToLogsOnError</c>, so that message is the end of the container's log, where the server writes one
/// critical line when its model cannot load.
/// </summary>
internal static partial class PodTrouble
{
    private const int MaxLength = 400;

    /// <summary>One line saying what is wrong with the pod's containers; null when nothing is.</summary>
    public static string? Of(V1Pod pod)
    {
        // The scheduler found no room (a MIG device the node does not offer yet), or the kubelet refused the pod.
        if (pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False") is { } unscheduled)
        {
            return Clip($"{unscheduled.Reason ?? "Unschedulable"}: {unscheduled.Message}");
        }

        if (pod.Status is { Phase: "Failed" } failed)
        {
            return Clip($"{failed.Reason ?? "Failed"}: {failed.Message}");
        }

        var statuses = (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []);
        foreach (var status in statuses)
        {
            var trouble = status.State switch
            {
                { Waiting.Reason: { } reason } when reason is not ("ContainerCreating" or "PodInitializing")
                    => $"{reason}: {Reason(status.LastState?.Terminated?.Message) ?? status.State.Waiting.Message}",
                { Terminated: { ExitCode: not 0 } terminated }
                    => $"exited with code {terminated.ExitCode}: {Reason(terminated.Message) ?? terminated.Reason}",
                _ => null,
            };
            if (trouble is not null)
            {
                return Clip($"{status.Name}: {trouble}");
            }
        }

        return null;
    }

    private static string Clip(string line)
    {
        line = line.TrimEnd(' ', ':');
        return line.Length <= MaxLength ? line : line[..(MaxLength - 1)] + "…";
    }

    /// <summary>The line of a log tail that says why: the last critical or error line without its log prefix, else the last line.</summary>
    private static string? Reason(string? message)
    {
        var lines = (message ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0)
        {
            return null;
        }

        var line = lines.LastOrDefault(l => LogLine().Match(l) is { Success: true } m && m.Groups["level"].Value is "crit" or "fail") ?? lines[^1];
        return LogLine().Match(line) is { Success: true } match ? match.Groups["text"].Value : line;
    }

    /// <summary>The server's console log line: <c>2026-11-23T09:05:55.712Z crit: Category[6] text</c>.</summary>
    [GeneratedRegex(@"^\S+ (?<level>trce|dbug|info|warn|fail|crit): \S+\[\d+\] (?<text>.*)$")]
    private static partial Regex LogLine();
}

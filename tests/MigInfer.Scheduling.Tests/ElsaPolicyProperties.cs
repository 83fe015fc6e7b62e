using CsCheck;
using MigInfer.Scheduling.Tests.Fixtures;
using static MigInfer.Scheduling.Tests.Fixtures.TestProfiles;

namespace MigInfer.Scheduling.Tests;

public class ElsaPolicyProperties
{
    private static readonly LatencyModel Model = TestProfiles.Model();
    private static readonly RouterOptions Options = new() { SafetyMargin = Ms(1), ShedLimit = Ms(3) };
    private static readonly TimeSpan Now = TimeSpan.FromSeconds(1);

    private static readonly Gen<SliceCandidate> GenCandidate = Gen.Select(
        Gen.Int[0, Names.Length - 1],
        Gen.Int[0, 60_000],
        Gen.Int[0, 5_000],
        Gen.Int[1, 32],
        Gen.Int[0, 9],
        Gen.Bool,
        (profile, backlogUs, transferUs, maxBatch, readyDie, local) => new SliceCandidate(
            $"s{profile}-{backlogUs}",
            Model.Resolve(Names[profile]),
            SliceProfiles.ParseComputeSize(Names[profile]),
            local,
            TimeSpan.FromMicroseconds(transferUs),
            TimeSpan.FromMicroseconds(backlogUs),
            maxBatch,
            Ready: readyDie > 1));

    private static readonly Gen<(SliceCandidate[] Slices, int Samples, int SloMs, bool LocalOnly)> GenCase =
        Gen.Select(GenCandidate.Array[0, 64], Gen.Int[1, 40], Gen.Int[2, 80], Gen.Int[0, 4].Select(d => d == 0));

    [Fact]
    public void ChosenSlice_CanAlwaysRunTheRequest()
    {
        GenCase.Sample(c =>
        {
            var decision = ElsaPolicy.Choose(new RouteRequest(c.Samples, Now, Ms(c.SloMs)), c.Slices, Model, Options, Now, c.LocalOnly);
            bool anyEligible = c.Slices.Any(s => Eligible(s, c.Samples, c.LocalOnly));
            Assert.Equal(!anyEligible, decision.Outcome == RouteOutcome.NoEligibleSlice);
            if (decision.IsRouted)
            {
                var chosen = c.Slices[decision.CandidateIndex];
                Assert.True(Eligible(chosen, c.Samples, c.LocalOnly));
                Assert.Equal(chosen.Id, decision.SliceId);
            }
        }, iter: 3000);
    }

    [Fact]
    public void Decision_MatchesBruteForceElsa()
    {
        GenCase.Sample(c =>
        {
            var request = new RouteRequest(c.Samples, Now, Ms(c.SloMs));
            var decision = ElsaPolicy.Choose(request, c.Slices, Model, Options, Now, c.LocalOnly);
            var finishes = c.Slices
                .Where(s => Eligible(s, c.Samples, c.LocalOnly))
                .Select(s => (Slice: s, Finish: Now + s.Transfer + s.Backlog + Model.Predict(s.Profile, c.Samples)))
                .ToList();
            var feasible = finishes.Where(f => f.Finish + Options.SafetyMargin <= request.Deadline).ToList();
            switch (decision.Outcome)
            {
                case RouteOutcome.Routed:
                    Assert.True(decision.EstimatedFinish + Options.SafetyMargin <= request.Deadline);
                    Assert.Equal(feasible.Min(f => f.Slice.ComputeSize), c.Slices[decision.CandidateIndex].ComputeSize);
                    Assert.Equal(feasible.Where(f => f.Slice.ComputeSize == c.Slices[decision.CandidateIndex].ComputeSize).Min(f => f.Finish), decision.EstimatedFinish);
                    break;
                case RouteOutcome.RoutedLate:
                    Assert.Empty(feasible);
                    Assert.Equal(finishes.Min(f => f.Finish), decision.EstimatedFinish);
                    Assert.True(decision.EstimatedFinish - request.Deadline <= Options.ShedLimit);
                    break;
                case RouteOutcome.Shed:
                    Assert.Empty(feasible);
                    Assert.True(finishes.Min(f => f.Finish) - request.Deadline > Options.ShedLimit);
                    break;
                default:
                    Assert.Empty(finishes);
                    break;
            }
        }, iter: 3000);
    }

    private static bool Eligible(SliceCandidate s, int samples, bool localOnly) =>
        s.Ready && samples <= s.MaxBatchSize && (!localOnly || s.IsLocal);
}

using System.Text.RegularExpressions;
using System.Xml.Linq;
using MigInfer.Chart.Tests.Fixtures;

namespace MigInfer.Chart.Tests;

/// <summary>What can be checked of the Dockerfiles without a Docker engine (none runs here).</summary>
public sealed partial class DockerfileTests
{
    [Theory]
    [InlineData("operator/Dockerfile")]
    [InlineData("inference-server/Dockerfile")]
    [InlineData("inference-server/Dockerfile.cuda")]
    public void Dockerfile_IsMultiStageAndShipsAsNonRoot(string path)
    {
        var dockerfile = DockerfileText.Load(path);
        var user = dockerfile.FinalStage.Where(i => i.Keyword == "USER").Select(i => i.Arguments).LastOrDefault();

        Assert.True(dockerfile.All("FROM").Count() >= 2, $"{path} builds and ships in one stage");
        Assert.NotNull(user);
        Assert.DoesNotMatch(@"^(0|root)(:|$)", user);
        Assert.DoesNotContain(dockerfile.FinalStage, i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("operator/Dockerfile")]
    [InlineData("inference-server/Dockerfile")]
    [InlineData("inference-server/Dockerfile.cuda")]
    public void Dockerfile_CopiesEverythingItsProjectNeeds(string path)
    {
        var dockerfile = DockerfileText.Load(path);
        var sources = dockerfile.ContextSources().ToList();
        var project = PublishedProject().Match(string.Join('\n', dockerfile.All("RUN"))).Groups["project"].Value;

        Assert.All(sources, s => Assert.True(File.Exists(RepoPaths.InRoot(s)) || Directory.Exists(RepoPaths.InRoot(s)), $"{path} copies {s}, which does not exist"));
        Assert.True(File.Exists(RepoPaths.InRoot(project)), $"{path} publishes {project}, which does not exist");
        Assert.All(["global.json", "Directory.Build.props", "Directory.Packages.props"], f => Assert.Contains(f, sources));
        Assert.All(ProjectClosure(RepoPaths.InRoot(project)), csproj =>
        {
            var relative = Path.GetRelativePath(RepoPaths.Root, csproj).Replace('\\', '/');
            Assert.True(sources.Any(s => s.EndsWith('/') && relative.StartsWith(s, StringComparison.Ordinal)), $"{path} does not copy {relative}");
        });
    }

    [Theory]
    [InlineData("inference-server/Dockerfile", "Cpu")]
    [InlineData("inference-server/Dockerfile.cuda", "Gpu")]
    public void ServerDockerfile_SelectsTheOnnxRuntimeFlavor(string path, string flavor)
    {
        var run = string.Join('\n', DockerfileText.Load(path).All("RUN"));

        Assert.Contains($"-p:OnnxRuntimeFlavor={flavor}", run, StringComparison.Ordinal);
    }

    [Fact]
    public void CudaDockerfile_RunsOnAnNvidiaCudaBase()
    {
        var dockerfile = DockerfileText.Load("inference-server/Dockerfile.cuda");
        var cudaImage = dockerfile.All("ARG").Single(a => a.StartsWith("CUDA_IMAGE=", StringComparison.Ordinal));

        Assert.StartsWith("CUDA_IMAGE=nvidia/cuda:12.", cudaImage, StringComparison.Ordinal);
        Assert.Contains("cudnn", cudaImage, StringComparison.Ordinal);
        Assert.Equal("${CUDA_IMAGE} AS runtime", dockerfile.All("FROM").Last());
    }

    [Theory]
    [InlineData("inference-server/Dockerfile", "8000 8001 8002")]
    [InlineData("inference-server/Dockerfile.cuda", "8000 8001 8002")]
    public void ServerDockerfile_ExposesTritonsPorts(string path, string ports)
    {
        Assert.Equal(ports, DockerfileText.Load(path).All("EXPOSE").Single());
    }

    [Fact]
    public void OperatorDockerfile_ExposesTheChartsPorts()
    {
        var values = ChartFiles.Values()["operator"]!;
        var exposed = DockerfileText.Load("operator/Dockerfile").All("EXPOSE").Single().Split(' ').Select(int.Parse).Order();

        Assert.Equal(new[] { (int)values["metricsPort"]!, (int)values["healthPort"]! }.Order(), exposed);
    }

    /// <summary>The project and every project it references, transitively.</summary>
    private static HashSet<string> ProjectClosure(string csproj)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(csproj)]);
        while (pending.TryPop(out var project))
        {
            if (!seen.Add(project))
            {
                continue;
            }

            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference"))
            {
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, reference.Attribute("Include")!.Value)));
            }
        }

        return seen;
    }

    [GeneratedRegex(@"dotnet publish (?<project>\S+\.csproj)")]
    private static partial Regex PublishedProject();
}

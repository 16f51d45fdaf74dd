using System.Net;
using System.Text.RegularExpressions;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Deploy;

/// <summary>
/// The Dockerfile and deploy/kubernetes (docs/deploy.md) agree with the gate they run: the probes ask the real
/// endpoints on the port the image listens on, the image's user is the non-root one the pod requires, and the image
/// is published the way README.md says.
/// </summary>
public sealed partial class DeployArtifactTests
{
    private static readonly string s_dockerfile = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "Dockerfile"));
    private static readonly string s_deployment = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "deploy", "kubernetes", "deployment.yaml"));

    [Fact]
    [Trait("Category", "Network")]
    public async Task Probes_AskTheGatesRealHealthEndpoints_OnThePortTheImageListensOn()
    {
        var liveness = ProbePath("livenessProbe");
        var readiness = ProbePath("readinessProbe");
        var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var _ = upstream;
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        await gate.CatalogReadyAsync();
        using var http = new HttpClient { BaseAddress = gate.BaseUrl };

        (liveness, readiness).Should().Be(("/healthz", "/readyz"));
        (await http.GetAsync(liveness)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await http.GetAsync(readiness)).StatusCode.Should().Be(HttpStatusCode.OK);
        s_deployment.Should().MatchRegex(@"name: http, containerPort: 8080\b");
        s_dockerfile.Should().Contain("\"--listen\", \"0.0.0.0:8080\"").And.Contain("EXPOSE 8080");
    }

    [Fact]
    public void ImageUser_IsNonRoot_AndThePodRequiresIt_WithAReadOnlyRootFilesystem()
    {
        var user = UserLine().Matches(s_dockerfile).Last().Groups[1].Value;

        int.TryParse(user, out var uid).Should().BeTrue("runAsNonRoot can only check a numeric USER");
        uid.Should().BeGreaterThan(0);
        s_deployment.Should().Contain("runAsNonRoot: true").And.Contain($"runAsUser: {uid}").And.Contain("readOnlyRootFilesystem: true")
            .And.Contain("allowPrivilegeEscalation: false");
    }

    [Fact]
    public void DockerfilePublishStep_IsTheOneReadmeDocuments()
    {
        var publish = PublishLine().Match(s_dockerfile);

        publish.Success.Should().BeTrue();
        File.ReadAllText(Path.Combine(RepositoryFiles.Root, "README.md")).Should().Contain(publish.Groups[1].Value);
    }

    [Fact]
    public void HaproxyLinesInDeployDocs_AreTheTestedConfiguration()
    {
        // Replicas/StdioSessionAffinityTests runs deploy/haproxy/haproxy.cfg itself; docs/deploy.md quotes part of it.
        var docs = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "docs", "deploy.md"));
        var config = File.ReadAllLines(Path.Combine(RepositoryFiles.Root, "deploy", "haproxy", "haproxy.cfg")).Select(l => l.Trim()).ToHashSet();
        var quoted = HaproxyBlock().Matches(docs).SelectMany(m => m.Groups[1].Value.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();

        quoted.Should().NotBeEmpty().And.OnlyContain(line => config.Contains(line), "every line docs/deploy.md shows is in the configuration the tests run");
    }

    private static string ProbePath(string probe)
    {
        var match = Regex.Match(s_deployment, probe + @":\s*\n\s*httpGet: \{ path: (\S+), port: http \}");
        match.Success.Should().BeTrue($"{probe} is an httpGet on the http port");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"^USER (\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex UserLine();

    [GeneratedRegex(@"^```haproxy\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex HaproxyBlock();

    [GeneratedRegex(@"^RUN (dotnet publish [^\r\n]+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex PublishLine();
}

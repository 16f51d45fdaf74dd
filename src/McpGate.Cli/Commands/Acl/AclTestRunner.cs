using McpGate.Analysis;
using McpGate.Analysis.Fixtures;
using McpGate.Analysis.Snapshots;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;

namespace McpGate.Cli.Commands.Acl;

/// <summary>The body of <c>mcp acl test</c>: load config and fixtures, find the tools once per server, decide, report.</summary>
internal static class AclTestRunner
{
    public const string DefaultFileName = "policy-tests.json";

    public static async Task<int> RunAsync(
        IReadOnlyList<string> files,
        string? configPath,
        string? toolsSnapshotPath,
        string format,
        double? timeoutSeconds,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        var config = PolicyConfig.Load(configPath);
        if (files.Count == 0)
        {
            files = [Path.Combine(Path.GetDirectoryName(config.SourcePath) ?? ".", DefaultFileName)];
        }

        var fixtures = new List<PolicyFixture>();
        foreach (var file in files)
        {
            try
            {
                fixtures.AddRange(PolicyFixtureReader.Load(file));
            }
            catch (AnalysisFileException ex)
            {
                throw new CommandFailedException(ExitCodes.Usage, ex.Message);
            }
        }

        foreach (var fixture in fixtures)
        {
            CheckNames(fixture, config);
        }

        var source = ToolSource.Create(toolsSnapshotPath, timeoutSeconds, config);
        var surfaces = new Dictionary<string, UpstreamSurface?>(StringComparer.Ordinal);
        foreach (var server in fixtures.Where(f => f.TargetKind == TargetKind.Tool).Select(f => f.Server).Distinct(StringComparer.Ordinal))
        {
            var found = await source.GetAsync(config.Servers[server], cancellationToken);
            surfaces[server] = found.Surface ?? throw new CommandFailedException(ExitCodes.DiscoveryFailed, found.Failure!);
        }

        var results = new List<FixtureResult>(fixtures.Count);
        foreach (var fixture in fixtures)
        {
            surfaces.TryGetValue(fixture.Server, out var surface);
            results.Add(PolicyFixtureRunner.Run(fixture, config, config.Servers[fixture.Server], surface));
        }

        switch (format)
        {
            case CommonOptions.Json:
                TestReport.WriteJson(output, results);
                break;
            case AclTestCommand.JUnit:
                TestReport.WriteJUnit(output, results);
                break;
            default:
                TestReport.WriteText(output, results);
                break;
        }

        return results.All(r => r.Passed) ? ExitCodes.Success : ExitCodes.Denied;
    }

    /// <summary>A case about a server or role the config lacks would pass or fail for the wrong reason: refuse it.</summary>
    private static void CheckNames(PolicyFixture fixture, GateConfig config)
    {
        var where = $"{fixture.File}{(fixture.Line is { } line ? $":{line}" : string.Empty)}: {fixture.JsonPath}";
        if (!config.Servers.ContainsKey(fixture.Server))
        {
            var known = config.Servers.Count == 0 ? "none" : string.Join(", ", config.Servers.Keys);
            throw new CommandFailedException(
                ExitCodes.Usage,
                $"mcp: {where}: server '{fixture.Server}' is not in {config.SourcePath}. Fix: use a configured alias ({known}).");
        }

        if (config.Evaluator.Schema != "role-based")
        {
            return;
        }

        foreach (var role in fixture.Roles)
        {
            if (!config.Evaluator.IsRoleDefined(role))
            {
                throw new CommandFailedException(
                    ExitCodes.Usage,
                    $"mcp: {where}: role '{role}' is not defined in serverAuth.acl.roles of {config.SourcePath}. Fix: correct the name, or define the role.");
            }
        }
    }
}

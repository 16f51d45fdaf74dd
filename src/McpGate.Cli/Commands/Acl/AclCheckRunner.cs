using McpGate.Cli.Output;
using McpGate.Policy.Classification;
using McpGate.Configuration;
using McpGate.Gateway.Authentication;
using McpGate.Policy.Evaluation;
using McpGate.Policy.RateLimits;

namespace McpGate.Cli.Commands.Acl;

/// <summary>Loads the policy, finds the tool metadata, evaluates and prints: the body of <c>mcp acl check</c>.</summary>
internal static class AclCheckRunner
{
    public static async Task<int> RunAsync(AclCheckRequest request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var config = PolicyConfig.Load(request.ConfigPath);
        var upstream = PolicyConfig.GetServer(config, request.Server);
        var token = request.Token is null ? null : await CheckTokenAsync(request, config, output, cancellationToken);
        var identity = token?.Identity ?? new Identity(request.Subject, request.Roles, AuthSource.CommandLine);
        var effectiveRoles = config.Evaluator.EffectiveRoles(identity);
        var style = TerminalStyle.For(output);

        if (request.AllTools)
        {
            var tools = await DiscoverOrFailAsync(upstream, request, config, cancellationToken);
            var results = new List<CheckResult>(tools.Count);
            foreach (var tool in SortedByName(tools))
            {
                var classification = ToolClassifier.ClassifyUncached(upstream.ToolAcl, tool);
                var decision = config.Evaluator.Evaluate(identity, upstream.Alias, TargetKind.Tool, tool.Name, classification, request.Access);
                results.Add(new CheckResult(decision, effectiveRoles, ToolKnown: true, RateLimitRules.Applying(config.Gateway.RateLimits, decision, effectiveRoles), token));
            }

            if (request.Json)
            {
                CheckJson.WriteArray(output, results);
            }
            else
            {
                CheckText.WriteTable(output, style, identity, effectiveRoles, upstream.Alias, results);
            }

            return ExitCodes.Success;
        }

        var kind = request.TargetKind!.Value;
        var target = request.Target!;
        bool? toolKnown = null;
        ToolClassification? toolClassification = null;
        if (kind == TargetKind.Tool)
        {
            if (request.Offline)
            {
                toolClassification = ToolClassifier.ClassifyUncached(upstream.ToolAcl, ToolDescriptor.NameOnly(target));
            }
            else
            {
                var tools = await DiscoverOrFailAsync(upstream, request, config, cancellationToken);
                var descriptor = FindTool(tools, target);
                toolKnown = descriptor is not null;

                // A tool the upstream does not list is decided as the gate decides it: unknown, so write.
                toolClassification = descriptor is null ? null : ToolClassifier.ClassifyUncached(upstream.ToolAcl, descriptor);
            }
        }

        var single = config.Evaluator.Evaluate(identity, upstream.Alias, kind, target, toolClassification, request.Access);
        var result = new CheckResult(single, effectiveRoles, toolKnown, RateLimitRules.Applying(config.Gateway.RateLimits, single, effectiveRoles), token);
        if (request.Json)
        {
            CheckJson.WriteObject(output, result);
        }
        else
        {
            CheckText.WriteLine(output, style, result);
        }

        return single.IsAllowed ? ExitCodes.Success : ExitCodes.Denied;
    }

    /// <summary>
    /// <c>--token</c>: the gate's own validation for <c>--server</c>. A token the gate would refuse ends the check with
    /// exit 2 and the reason; one without a required scope is a denial (the gate answers 403), exit 1.
    /// </summary>
    private static async Task<OAuthTokenReport> CheckTokenAsync(AclCheckRequest request, GateConfig config, TextWriter output, CancellationToken cancellationToken)
    {
        if (config.Auth.OAuth is not { } settings)
        {
            throw new CommandFailedException(
                ExitCodes.Usage,
                $"mcp: --token needs serverAuth.oauth in {config.SourcePath}: the gate accepts no OAuth tokens without it (docs/oauth.md)");
        }

        var token = ReadToken(request.Token!);
        var report = await OAuthTokenCheck.ValidateAsync(settings, token, request.Server, cancellationToken);
        if (report.InsufficientScope)
        {
            throw new CommandFailedException(
                ExitCodes.Denied,
                $"mcp: the gate would answer 403 insufficient_scope: the token lacks a required scope ({string.Join(' ', settings.RequiredScopes)})");
        }

        if (report.Identity is null)
        {
            throw new CommandFailedException(
                ExitCodes.Usage,
                $"mcp: the gate would refuse this token on /mcp/{request.Server}: {report.Error} (docs/oauth.md, \"Failure reasons\")");
        }

        if (!request.Json)
        {
            CheckText.WriteToken(output, report);
        }

        return report;
    }

    private static string ReadToken(string value)
    {
        var text = value switch
        {
            "-" => Console.In.ReadToEnd(),
            _ when value.StartsWith('@') => ReadTokenFile(value[1..]),
            _ => value,
        };
        text = text.Trim();
        return text.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? text["Bearer ".Length..].Trim() : text;
    }

    private static string ReadTokenFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(ExitCodes.Usage, $"mcp: cannot read the token file {Path.GetFullPath(path)}: {ex.Message}");
        }
    }

    private static async Task<IReadOnlyList<ToolDescriptor>> DiscoverOrFailAsync(
        UpstreamConfig upstream, AclCheckRequest request, GateConfig config, CancellationToken cancellationToken)
    {
        var source = ToolSource.Create(request.ToolsSnapshotPath, request.TimeoutSeconds, config);
        var discovered = await source.GetAsync(upstream, cancellationToken);
        return discovered.Tools ?? throw new CommandFailedException(ExitCodes.DiscoveryFailed, discovered.Failure!);
    }

    private static ToolDescriptor? FindTool(IReadOnlyList<ToolDescriptor> tools, string name)
    {
        foreach (var tool in tools)
        {
            if (string.Equals(tool.Name, name, StringComparison.Ordinal))
            {
                return tool;
            }
        }

        return null;
    }

    internal static List<ToolDescriptor> SortedByName(IReadOnlyList<ToolDescriptor> tools)
    {
        var sorted = new List<ToolDescriptor>(tools);
        sorted.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return sorted;
    }
}

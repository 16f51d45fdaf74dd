using McpGate.Gateway.Authentication;
using McpGate.Policy.Evaluation;
using McpGate.Policy.RateLimits;

namespace McpGate.Cli.Commands.Acl;

/// <summary>
/// One checked request: the evaluator's <see cref="Decision"/> plus what only the CLI knows, the effective roles
/// and whether the upstream lists the tool (<c>true</c>/<c>false</c>; null offline or for resources and prompts), and
/// the <c>gateway.rateLimits</c> rules that would count the call (when allowed: a denied call counts against none).
/// </summary>
/// <remarks><see cref="Token"/>: with <c>--token</c>, what the token resolved to.</remarks>
internal sealed record CheckResult(
    Decision Decision, IReadOnlyList<string> EffectiveRoles, bool? ToolKnown, IReadOnlyList<RateLimitRule>? RateLimits = null, OAuthTokenReport? Token = null);

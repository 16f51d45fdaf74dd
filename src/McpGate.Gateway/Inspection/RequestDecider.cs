using McpGate.Gateway.Catalog;
using McpGate.Mcp.JsonRpc;
using McpGate.Mcp.Lists;
using McpGate.Policy.Classification;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;

namespace McpGate.Gateway.Inspection;

/// <summary>
/// Step 8 of the request path (docs/architecture.md): what the ACL says about each inspected message. Knows nothing
/// of HTTP, so every decision rule can be tested without a socket; <see cref="McpGateMiddleware"/> acts on the answer
/// (audits, denies or forwards).
/// </summary>
internal sealed class RequestDecider(ToolCatalog catalog, ToolClassifier classifier)
{
    /// <summary>
    /// The decision for one message, or null when the ACL does not decide it (a response, <c>initialize</c>, a list,
    /// a completion without a reference): such a message is forwarded.
    /// </summary>
    public async ValueTask<Decision?> DecideAsync(GateConfig config, UpstreamConfig upstream, Identity identity, InspectedMessage message, CancellationToken cancellationToken)
    {
        if (message.Kind == JsonRpcMessageKind.Response)
        {
            return null;
        }

        var server = upstream.Alias;
        switch (message.Method)
        {
            case McpMethods.ToolsCall:
                var descriptor = await catalog.ResolveAsync(upstream, message.Name!, config.Gateway.DiscoveryTimeout, cancellationToken);
                var classification = descriptor is null ? null : classifier.Classify(server, upstream.ToolAcl, descriptor);
                return config.Evaluator.Evaluate(identity, server, TargetKind.Tool, message.Name!, classification);
            case McpMethods.ResourcesRead:
            case McpMethods.ResourcesSubscribe:
                return config.Evaluator.Evaluate(identity, server, TargetKind.Resource, message.Uri!, null);
            case McpMethods.PromptsGet:
                return config.Evaluator.Evaluate(identity, server, TargetKind.Prompt, message.Name!, null);
            case McpMethods.CompletionComplete when message.Ref is { } reference:
                // Completions reveal a prompt's argument values or a resource template's URIs: the same ACL applies.
                return reference.Type == CompletionReference.PromptType
                    ? config.Evaluator.Evaluate(identity, server, TargetKind.Prompt, reference.Name ?? string.Empty, null)
                    : config.Evaluator.Evaluate(identity, server, TargetKind.Resource, reference.Uri ?? string.Empty, null);
            default:
                return null;
        }
    }

    /// <summary>
    /// Decides every element of a batch. Batches were removed from MCP in 2025-06-18 but some servers still run them;
    /// one is forwarded only when every element is allowed and none needs the gate alone (a list, whose response it
    /// must filter, or <c>initialize</c>).
    /// </summary>
    public async ValueTask<BatchDecision> DecideBatchAsync(GateConfig config, UpstreamConfig upstream, Identity identity, IReadOnlyList<InspectedMessage> messages, CancellationToken cancellationToken)
    {
        var decisions = new Decision?[messages.Count];
        var mayForward = true;
        for (var i = 0; i < messages.Count; i++)
        {
            decisions[i] = await DecideAsync(config, upstream, identity, messages[i], cancellationToken);
            mayForward &= decisions[i] is not { IsAllowed: false }
                && !ListKinds.TryFromMethod(messages[i].Method, out _)
                && messages[i].Method != McpMethods.Initialize;
        }

        return new BatchDecision(decisions, mayForward);
    }
}

/// <param name="Decisions">Per element, in order: its decision, or null where the ACL does not decide.</param>
/// <param name="MayForward">True when the whole batch may go to the upstream as it is.</param>
internal readonly record struct BatchDecision(IReadOnlyList<Decision?> Decisions, bool MayForward);

using McpGate.Gateway.Inspection;
using McpGate.Mcp.Lists;
using McpGate.Policy.Classification;
using McpGate.Policy.Evaluation;

namespace McpGate.Gateway.Forwarding;

/// <summary>A list item is visible when the caller could use it: the same evaluator, the same policy version.</summary>
internal sealed class PolicyListVisibility(GateRequestContext gate, ToolClassifier classifier, ToolDescriptorMemo? toolDescriptors) : IListItemVisibility
{
    private readonly PolicyEvaluator _evaluator = gate.State.Config.Evaluator;
    private readonly string _server = gate.Upstream.Alias;

    public ToolDescriptorMemo? ToolDescriptors => toolDescriptors;

    public bool IsToolVisible(ToolDescriptor tool)
    {
        var classification = classifier.Classify(_server, gate.Upstream.ToolAcl, tool);
        return _evaluator.Evaluate(gate.Identity, _server, TargetKind.Tool, tool.Name, classification).IsAllowed;
    }

    public bool IsPromptVisible(string name) =>
        _evaluator.Evaluate(gate.Identity, _server, TargetKind.Prompt, name, null).IsAllowed;

    public bool IsResourceVisible(string uri) =>
        _evaluator.Evaluate(gate.Identity, _server, TargetKind.Resource, uri, null).IsAllowed;

    // Resource globs are matched against the template text itself (e.g. file:///public/* covers file:///public/{path}).
    public bool IsResourceTemplateVisible(string uriTemplate) =>
        _evaluator.Evaluate(gate.Identity, _server, TargetKind.Resource, uriTemplate, null).IsAllowed;
}

using System.Buffers;
using McpGate.Policy.Globbing;

namespace McpGate.Policy.Evaluation.Compiled;

/// <summary>
/// The legacy schema (docs/acl.md, "Legacy ACL"), compiled: the first rule whose subjects, roles and tool globs match
/// decides. Tool globs match the namespaced name <c>&lt;alias&gt;__&lt;tool&gt;</c>, assembled on the stack.
/// </summary>
internal sealed class LegacyPolicy
{
    private const int StackLimit = 256;

    private readonly Rule[] _rules;

    public LegacyPolicy(LegacyAclSpec spec)
    {
        Default = spec.Default;
        _rules = [.. spec.Rules.Select(r => new Rule(r))];
    }

    public Verdict Default { get; }

    public Decision Evaluate(in EvaluationRequest request)
    {
        // Legacy rules only name tools; resources and prompts follow the default.
        if (request.TargetKind == TargetKind.Tool)
        {
            var server = request.Server;
            var target = request.Target;
            var length = server.Length + 2 + target.Length;
            char[]? rented = null;
            Span<char> buffer = length <= StackLimit
                ? stackalloc char[StackLimit]
                : (rented = ArrayPool<char>.Shared.Rent(length));
            try
            {
                server.CopyTo(buffer);
                buffer[server.Length] = '_';
                buffer[server.Length + 1] = '_';
                target.CopyTo(buffer[(server.Length + 2)..]);
                var namespaced = buffer[..length];
                foreach (var rule in _rules)
                {
                    if (rule.Matches(request.Identity, namespaced))
                    {
                        return request.Decide(rule.Policy, rule.Id, null, DecisionBasis.LegacyRule);
                    }
                }
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<char>.Shared.Return(rented);
                }
            }
        }

        return request.Decide(Default, DecisionRules.LegacyDefault, null, DecisionBasis.LegacyDefault);
    }

    private sealed class Rule
    {
        private readonly string[] _subjects;
        private readonly string[] _roles;
        private readonly bool _anySubject;
        private readonly bool _anyRole;
        private readonly GlobList _tools;

        public Rule(LegacyRuleSpec spec)
        {
            Id = $"legacy[{spec.Index}]";
            Policy = spec.Policy;
            _subjects = [.. spec.Subjects];
            _roles = [.. spec.Roles];
            _anySubject = _subjects.Length == 0 || _subjects.Contains("*");
            _anyRole = _roles.Length == 0 || _roles.Contains("*");
            _tools = new GlobList(spec.Tools);
        }

        public string Id { get; }

        public Verdict Policy { get; }

        public bool Matches(Identity identity, ReadOnlySpan<char> namespacedTool) =>
            MatchesSubject(identity.Subject) && MatchesRoles(identity.Roles) && _tools.IsMatch(namespacedTool);

        private bool MatchesSubject(string? subject)
        {
            if (_anySubject)
            {
                return true;
            }

            foreach (var candidate in _subjects)
            {
                if (string.Equals(candidate, subject, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        private bool MatchesRoles(IReadOnlyList<string> roles)
        {
            if (_anyRole)
            {
                return true;
            }

            var count = roles.Count;
            for (var i = 0; i < count; i++)
            {
                foreach (var candidate in _roles)
                {
                    if (string.Equals(candidate, roles[i], StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}

using System.CommandLine;
using McpGate.Cli.Help;
using McpGate.Policy.Evaluation;

namespace McpGate.Cli.Commands.Acl;

/// <summary><c>mcp acl check</c> (docs/cli.md, "`mcp acl check`"): parses and validates the flags, then hands off to
/// <see cref="AclCheckRunner"/>.</summary>
internal static class AclCheckCommand
{
    public static Command Create(CommandHelp help)
    {
        var config = CommonOptions.Config();
        var subject = new Option<string?>("--subject")
        {
            Description = "Subject to check; its configured roles apply.",
            HelpName = "NAME",
        };
        var role = new Option<string[]>("--role")
        {
            Description = "Role to add (repeatable). Without --subject, checks a hypothetical identity holding only these roles.",
            HelpName = "NAME",
            Arity = ArgumentArity.OneOrMore,
        };
        var token = new Option<string?>("--token")
        {
            Description = "An OAuth access token (JWT), @FILE or - for stdin: validated as the gate would, then decided for its identity.",
            HelpName = "JWT|@FILE|-",
        };
        var server = new Option<string>("--server")
        {
            Description = "Upstream alias from mcpServers (case-sensitive).",
            HelpName = "ALIAS",
            Required = true,
        };
        var tool = new Option<string?>("--tool") { Description = "Tool name, as the upstream names it.", HelpName = "NAME" };
        var resource = new Option<string?>("--resource") { Description = "Resource URI (always read access).", HelpName = "URI" };
        var prompt = new Option<string?>("--prompt") { Description = "Prompt name (always read access).", HelpName = "NAME" };
        var allTools = new Option<bool>("--all-tools") { Description = "Check every tool the upstream lists; print a table (exit 0)." };
        var access = new Option<string?>("--access")
        {
            Description = "Judge the request as this access instead of the tool's classification.",
            HelpName = "read|write",
        };
        access.AcceptOnlyFromAmong("read", "write");
        var format = CommonOptions.Format();
        var offline = new Option<bool>("--offline")
        {
            Description = "Do not contact the upstream: classify the tool by name and tool_acl only (tool_known: null).",
        };
        var timeout = CommonOptions.Timeout();
        var toolsSnapshot = CommonOptions.ToolsSnapshot();

        var command = new Command(
            "check",
            "Decide a request for a subject or roles, and say why.")
        {
            config, subject, role, token, server, tool, resource, prompt, allTools, access, format, offline, timeout, toolsSnapshot,
        };

        command.Validators.Add(result =>
        {
            if (result.GetResult(token) is not null)
            {
                if (result.GetResult(subject) is not null || result.GetResult(role) is not null)
                {
                    result.AddError("--token decides for the token's own subject and roles; give it without --subject and --role.");
                }
            }
            else if (result.GetResult(subject) is null && result.GetResult(role) is null)
            {
                result.AddError("Give --subject NAME, --role NAME, both, or --token JWT.");
            }

            var targets = 0;
            foreach (Option option in (Option[])[tool, resource, prompt])
            {
                if (result.GetResult(option) is not null)
                {
                    targets++;
                }
            }

            if (result.GetValue(allTools))
            {
                targets++;
            }

            if (targets != 1)
            {
                result.AddError("Give exactly one of --tool NAME, --resource URI, --prompt NAME or --all-tools.");
            }

            if (result.GetValue(allTools) && result.GetValue(offline))
            {
                result.AddError("--all-tools needs the upstream's tool list, so it cannot be combined with --offline.");
            }

            if (result.GetValue(offline) && result.GetResult(toolsSnapshot) is not null)
            {
                result.AddError("--offline classifies by name only; --tools-snapshot reads full tool metadata. Give one of them.");
            }
        });

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, (output, error) =>
        {
            var (kind, target) = parseResult.GetValue(tool) is { } toolName ? (TargetKind.Tool, toolName)
                : parseResult.GetValue(resource) is { } uri ? (TargetKind.Resource, uri)
                : parseResult.GetValue(prompt) is { } promptName ? (TargetKind.Prompt, promptName)
                : ((TargetKind?)null, (string?)null);
            var request = new AclCheckRequest
            {
                ConfigPath = parseResult.GetValue(config),
                Subject = parseResult.GetValue(subject),
                Roles = parseResult.GetValue(role) ?? [],
                Token = parseResult.GetValue(token),
                Server = parseResult.GetRequiredValue(server),
                TargetKind = kind,
                Target = target,
                Access = parseResult.GetValue(access) switch
                {
                    "read" => AccessKind.Read,
                    "write" => AccessKind.Write,
                    _ => null,
                },
                Json = parseResult.GetValue(format) == CommonOptions.Json,
                Offline = parseResult.GetValue(offline),
                TimeoutSeconds = parseResult.GetValue(timeout),
                ToolsSnapshotPath = parseResult.GetValue(toolsSnapshot),
            };
            return AclCheckRunner.RunAsync(request, output, error, cancellationToken);
        }));

        help.Add(
            command,
            synopsis: """
                mcp acl check [--config PATH] ((--subject NAME | --role NAME)... | --token JWT|@FILE|-) --server ALIAS
                              (--tool NAME | --resource URI | --prompt NAME | --all-tools)
                              [--access read|write] [--format text|json]
                              [--offline | --tools-snapshot FILE] [--timeout SECONDS]
                """,
            details: """
                Loads the config with the loader 'mcp serve' uses and decides with the same evaluator. Tool metadata
                comes from live discovery of the upstream (MCP initialize + tools/list, every page) unless --offline,
                which classifies by name and tool_acl only, or --tools-snapshot FILE, which reads the tools an
                'mcp acl snapshot' recorded (no upstream needed). --role adds to the subject's configured roles; --role
                without --subject checks a hypothetical identity. A tool the upstream does not list is decided as
                unknown (write access). --token validates an OAuth access token with serverAuth.oauth exactly as the
                gate would for --server (issuer, keys, audience, lifetime, scopes), prints the subject and roles it
                resolves to and from which claims, and decides for that identity; a refused token exits 2 with the reason.
                """,
            exitStatus: """
                0  allowed (with --all-tools: the report ran)
                1  denied
                2  usage or config error, unknown --server, or a --token the gate would refuse
                3  the upstream's tools could not be discovered (or the snapshot does not record the server)
                """,
            examples: """
            # May bob open a pull request on github? (exit 0 allow, 1 deny)
            mcp acl check --subject bob --server github --tool create_pr

            # What would a new 'dev' role get on every github tool?
            mcp acl check --role dev --server github --all-tools

            # Resources and prompts are always read access.
            mcp acl check --subject alice --server files --resource file:///secret/keys.txt
            mcp acl check --subject alice --server files --prompt code_review

            # No network: classify by name and tool_acl only; machine-readable.
            mcp acl check --subject bob --server github --tool merge_pr --offline --format json

            # What can this person's token do on github? (validated against the IdP, like the gate)
            mcp acl check --token @token.jwt --server github --tool create_pr

            # In CI, with the tools recorded earlier by 'mcp acl snapshot'.
            mcp acl check --subject bob --server github --tool merge_pr --tools-snapshot tools.snapshot.json
            """);
        return command;
    }
}

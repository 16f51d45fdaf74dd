using McpGate.Audit.Reading;
using McpGate.Audit.Reading.Alerts;
using McpGate.Analysis.Replay;

namespace McpGate.Cli.Commands.Acl;

/// <summary>The body of <c>mcp acl replay</c>: load both configs, resolve the log, stream it through the replayer.</summary>
internal static class AclReplayRunner
{
    public static int Run(ReplayOptions options, TextWriter output, Func<Stream> stdin, TimeProvider time, CancellationToken cancellationToken)
    {
        DateTimeOffset? since = null;
        if (options.Since is { } text)
        {
            if (!AlertDuration.TryParse(text, out var duration))
            {
                throw new CommandFailedException(ExitCodes.Usage, $"mcp: --since '{text}' is not a duration (e.g. {AlertDuration.Examples})");
            }

            since = time.GetUtcNow() - duration;
        }

        var candidate = PolicyConfig.Load(options.ConfigPath);
        var baseline = options.BaselinePath is null ? null : PolicyConfig.Load(options.BaselinePath);

        // The same resolution as 'mcp audit alerts --log': a file, a directory of rolled files, a pattern, or stdin.
        var source = AuditLogSource.Resolve(options.LogPath)
            ?? throw new CommandFailedException(
                ExitCodes.Usage,
                $"mcp: no audit log at '{options.LogPath}': give a file, a directory of mcpgate-*.jsonl files, or - for stdin.");

        if (!source.IsStdin && source.Files.Count == 0)
        {
            // A CI job whose log download failed must not pass as "nothing would change".
            throw new CommandFailedException(ExitCodes.Usage, $"mcp: no audit log files match {source.Description}.");
        }

        var replayer = new PolicyReplayer(candidate, baseline, since);
        var scan = AuditLogScanner.Scan(source, source.IsStdin ? stdin() : Stream.Null, replayer, cancellationToken);
        if (scan.Unreadable.Count > 0)
        {
            // A replay that silently missed a file would under-report what the candidate changes.
            throw new CommandFailedException(ExitCodes.Usage, $"mcp: cannot read audit log {scan.Unreadable[0]}");
        }

        var report = replayer.Finish();
        var context = new ReplayContext(candidate.SourcePath, baseline?.SourcePath, source.Description, source.IsStdin ? 1 : source.Files.Count, options.Since);
        switch (options.Format)
        {
            case CommonOptions.Json:
                ReplayOutput.WriteJson(output, context, report);
                break;
            case AclReplayCommand.Markdown:
                ReplayOutput.WriteMarkdown(output, context, report);
                break;
            default:
                ReplayOutput.WriteText(output, context, report);
                break;
        }

        var failed = options.FailOn switch
        {
            AclReplayCommand.Loosen => report.Loosened > 0,
            AclReplayCommand.Tighten => report.Tightened > 0,
            _ => report.Loosened + report.Tightened > 0,
        };
        return failed ? ExitCodes.Denied : ExitCodes.Success;
    }
}

internal sealed record ReplayContext(string Candidate, string? Baseline, string Log, int Files, string? Since);

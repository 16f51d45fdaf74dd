using System.CommandLine;
using McpGate.Audit;
using McpGate.Audit.Reading;
using McpGate.Audit.Reading.Alerts;
using McpGate.Cli.Help;

namespace McpGate.Cli.Commands.Audit;

/// <summary>
/// <c>mcp audit alerts [--log PATH] [--rules FILE] [--since 24h] [--format text|json] [--config PATH]</c>: evaluates
/// alert rules over the audit log. Exit codes: 0 no alert fired, 1 at least one fired, 2 usage error, unreadable
/// config or bad rule file, 130 when cancelled. Made for cron and CI: the exit code is the signal, the output says
/// who and what.
/// </summary>
internal static class AuditAlertsCommand
{
    public static Command Create(CommandHelp help)
    {
        var log = new Option<string?>("--log")
        {
            Description = "Audit log: a file, a directory of mcpgate-*.jsonl files, a rolling pattern, or - for stdin. "
                + "Default: the config's gateway.audit.path, else ./audit/",
            HelpName = "PATH",
        };
        var rules = new Option<string?>("--rules")
        {
            Description = "JSON rule file; its rules are added to the built-in ones (same name replaces one)",
            HelpName = "FILE",
        };
        var since = new Option<string>("--since")
        {
            Description = "How far back to read, e.g. 30m, 24h, 7d; narrows (never widens) each rule's window",
            DefaultValueFactory = _ => "24h",
            HelpName = "DURATION",
        };
        var format = CommonOptions.Format();
        var config = CommonOptions.Config();
        config.Description = "Config file whose gateway.audit.path is read when --log is not given. " + config.Description;

        var command = new Command("alerts", "Evaluate alert rules over the audit log; exit 1 when any fires")
        {
            log,
            rules,
            since,
            format,
            config,
        };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, (output, error) =>
        {
            var options = new AuditAlertsOptions(
                parseResult.GetValue(log),
                parseResult.GetValue(rules),
                parseResult.GetValue(since) ?? "24h",
                parseResult.GetValue(format) ?? CommonOptions.Text,
                parseResult.GetValue(config));
            return Task.FromResult(Run(options, output, error, Console.OpenStandardInput, TimeProvider.System, cancellationToken));
        }));

        help.Add(
            command,
            synopsis: "mcp audit alerts [--log PATH] [--rules FILE] [--since DURATION] [--format text|json] [--config PATH]",
            details: """
                Reads the audit log (the config's gateway.audit.path unless --log) and counts lines against the
                built-in rules plus those of --rules; prints one ALERT line per rule and group over its threshold.
                """,
            exitStatus: """
                0    no alert fired
                1    at least one alert fired
                2    bad flag, unreadable config, bad rule file, or no audit log there
                130  cancelled (Ctrl+C)
                """,
            examples: """
            mcp audit alerts
            mcp audit alerts --since 1h --rules /etc/mcpgate/alerts.json
            mcp audit alerts --log /var/log/mcpgate/ --format json | jq '.alerts[]'
            zcat archive/mcpgate-*.jsonl.gz | mcp audit alerts --log - --since 30d
            """);
        return command;
    }

    /// <summary>The command without the command line: tests call it with their own clock, stdin and writers.</summary>
    internal static int Run(AuditAlertsOptions options, TextWriter output, TextWriter error, Func<Stream> stdin, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(time);

        var json = options.Format == CommonOptions.Json;

        if (!AlertDuration.TryParse(options.Since, out var since))
        {
            return Usage(error, $"--since '{options.Since}' is not a duration (e.g. {AlertDuration.Examples})");
        }

        var rules = BuiltInAlertRules.All;
        if (!string.IsNullOrWhiteSpace(options.RulesPath))
        {
            var file = AlertRuleFile.Load(options.RulesPath);
            if (!file.Succeeded)
            {
                foreach (var problem in file.Errors)
                {
                    error.WriteLine($"error: {problem}");
                }

                return ExitCodes.Usage;
            }

            rules = AlertRuleFile.Combine(rules, file);
        }

        var logPath = options.LogPath;
        if (string.IsNullOrWhiteSpace(logPath))
        {
            var (configured, configError) = AuditConfigLookup.FindAuditPath(options.ConfigPath);
            if (configError is not null)
            {
                return Usage(error, configError);
            }

            if (configured == AuditDestination.StdoutPath)
            {
                return Usage(error, "the gateway writes its audit log to stdout (gateway.audit.path is \"-\"): "
                    + "pass --log FILE, or pipe the lines in with --log -");
            }

            logPath = configured!;
        }

        var source = AuditLogSource.Resolve(logPath);
        if (source is null)
        {
            return Usage(error, $"no audit log at '{logPath}' (neither a file, a directory, nor a pattern whose directory exists); "
                + "pass --log PATH or --config PATH");
        }

        if (!source.IsStdin && source.Files.Count == 0)
        {
            error.WriteLine($"warning: no audit files match {source.Description}; nothing to evaluate");
        }

        var evaluator = new AlertEvaluator(rules, time.GetUtcNow(), since);
        ScanSummary scan;
        try
        {
            scan = AuditLogScanner.Scan(source, source.IsStdin ? stdin() : Stream.Null, evaluator, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("mcp: cancelled");
            return ExitCodes.Cancelled;
        }

        foreach (var problem in scan.Unreadable)
        {
            error.WriteLine($"warning: not read: {problem}");
        }

        if (evaluator.MalformedLines > 0)
        {
            error.WriteLine($"warning: skipped {evaluator.MalformedLines} malformed line(s), first at {string.Join(", ", evaluator.MalformedSamples)}");
        }

        var report = new AlertReport(evaluator, rules, scan, options.Since.Trim(), source.Description);
        if (json)
        {
            AlertReportWriter.WriteJson(report, output);
        }
        else
        {
            AlertReportWriter.WriteText(report, output);
        }

        return report.Alerts.Count > 0 ? ExitCodes.AlertsFired : ExitCodes.Success;
    }

    private static int Usage(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        return ExitCodes.Usage;
    }
}

internal sealed record AuditAlertsOptions(string? LogPath, string? RulesPath, string Since, string Format, string? ConfigPath);

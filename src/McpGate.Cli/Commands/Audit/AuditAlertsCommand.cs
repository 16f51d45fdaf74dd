using System.CommandLine;
using McpGate.Gateway.Audit;
using McpGate.Gateway.Audit.Alerts;

namespace McpGate.Cli.Commands.Audit;

/// <summary>
/// <c>mcp audit alerts [--log PATH] [--rules FILE] [--since 24h] [--format text|json] [--config PATH]</c>: evaluates
/// alert rules over the audit log. Exit codes: 0 no alert fired, 1 at least one fired, 2 usage error, unreadable
/// config or bad rule file. Made for cron and CI: the exit code is the signal, the output says who and what.
/// </summary>
internal static class AuditAlertsCommand
{
    public const int ExitNoAlerts = 0;
    public const int ExitAlerts = 1;
    public const int ExitUsage = 2;

    public static Command Create()
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
        var format = new Option<string>("--format")
        {
            Description = "Output: text or json",
            DefaultValueFactory = _ => "text",
            HelpName = "text|json",
        };
        var config = new Option<string?>("--config")
        {
            Description = "Config file whose gateway.audit.path is read when --log is not given",
            HelpName = "PATH",
        };

        var command = new Command("alerts", "Evaluate alert rules over the audit log; exit 1 when any fires")
        {
            log,
            rules,
            since,
            format,
            config,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var options = new AuditAlertsOptions(
                parseResult.GetValue(log),
                parseResult.GetValue(rules),
                parseResult.GetValue(since) ?? "24h",
                parseResult.GetValue(format) ?? "text",
                parseResult.GetValue(config));
            var invocation = parseResult.InvocationConfiguration;
            return Task.FromResult(Run(options, invocation.Output, invocation.Error, Console.OpenStandardInput, TimeProvider.System, cancellationToken));
        });
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

        var json = options.Format switch
        {
            "text" => false,
            "json" => true,
            _ => (bool?)null,
        };
        if (json is null)
        {
            return Usage(error, $"--format must be text or json, not '{options.Format}'");
        }

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

                return ExitUsage;
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
            error.WriteLine("cancelled");
            return ExitUsage;
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
        if (json.Value)
        {
            AlertReportWriter.WriteJson(report, output);
        }
        else
        {
            AlertReportWriter.WriteText(report, output);
        }

        return report.Alerts.Count > 0 ? ExitAlerts : ExitNoAlerts;
    }

    private static int Usage(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        return ExitUsage;
    }
}

internal sealed record AuditAlertsOptions(string? LogPath, string? RulesPath, string Since, string Format, string? ConfigPath);

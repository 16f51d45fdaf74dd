using System.Text;
using System.Text.Json;
using McpGate.Policy.Evaluation;

namespace McpGate.Configuration.Loading;

/// <summary>
/// Walks one <c>servers.json</c> document and builds a <see cref="GateConfig"/>, collecting every problem on the way
/// (docs/acl.md, "Error messages"): all errors are reported together, each with its JSON path, position and fix. The walk never stops at
/// the first error; the config is only built when none was found. Each top-level section has its own reader
/// (<see cref="ServersSectionReader"/>, <see cref="ServerAuthSectionReader"/>, <see cref="GatewaySectionReader"/>);
/// they share one <see cref="ConfigErrorSink"/>.
/// </summary>
internal sealed class ConfigReader
{
    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly JsonReaderOptions s_readerOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    // "audit" is the Rust proxy's own audit section: accepted so a shared servers.json loads, and ignored
    // (McpGate's audit settings live in gateway.audit).
    private static readonly string[] s_topKeys = ["$schema", "mcpServers", "serverAuth", "gateway", "audit"];

    private readonly string _sourcePath;
    private readonly Func<string, string?> _environment;

    public ConfigReader(string sourcePath, Func<string, string?> environment)
    {
        _sourcePath = sourcePath;
        _environment = environment;
    }

    public GateConfig Read(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, s_documentOptions);
        }
        catch (JsonException exception)
        {
            throw new ConfigLoadException(_sourcePath, [SyntaxError(utf8, exception)]);
        }

        using (document)
        {
            var errors = new ConfigErrorSink(_sourcePath, JsonPositionMap.Build(utf8, s_readerOptions));
            return ReadRoot(document.RootElement, errors);
        }
    }

    private GateConfig ReadRoot(JsonElement root, ConfigErrorSink errors)
    {
        var top = new RootSectionReader(errors, _environment).Read(root, s_topKeys);
        if (top is null)
        {
            errors.ThrowIfAny();
            throw new InvalidOperationException("The root reader refused the document without an error.");
        }

        var servers = new ServersSectionReader(errors, _environment).Read(top);

        // Aliases read from mcpServers (valid or not), for checking the server names that deny grants spell out.
        var declaredAliases = new HashSet<string>(DeclaredAliases(top), StringComparer.Ordinal);
        var (auth, acl) = new ServerAuthSectionReader(errors, _environment, declaredAliases).Read(top);
        var gateway = new GatewaySectionReader(errors, _environment).Read(top);
        errors.ThrowIfAny();

        return new GateConfig
        {
            SourcePath = _sourcePath,
            Servers = servers.AsReadOnly(),
            Auth = auth,
            Gateway = gateway,
            Evaluator = PolicyEvaluator.Create(acl, servers.Keys),
        };
    }

    private static IEnumerable<string> DeclaredAliases(ObjectView top) =>
        top.TryGet("mcpServers", out var element, out _) && element.ValueKind == JsonValueKind.Object
            ? element.EnumerateObject().Select(p => p.Name)
            : [];

    private static ConfigError SyntaxError(byte[] utf8, JsonException exception)
    {
        var (line, column) = new LineIndex(utf8).Locate(exception.LineNumber ?? 0, exception.BytePositionInLine ?? 0);
        var message = exception.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        return new ConfigError(
            JsonPaths.Root,
            $"invalid JSON: {message.TrimEnd('.', ' ')}",
            $"correct the JSON syntax at line {line}, column {column} (// comments and trailing commas are accepted; keys and strings need double quotes)",
            line,
            column);
    }
}

/// <summary>The document itself: one object with the known top-level keys, and a string <c>$schema</c> if any.</summary>
internal sealed class RootSectionReader(ConfigErrorSink errors, Func<string, string?> environment) : SectionReader(errors, environment)
{
    public ObjectView? Read(JsonElement root, IReadOnlyList<string> topKeys)
    {
        var top = Object(root, JsonPaths.Root, topKeys, fix: "the file must be one JSON object: { \"mcpServers\": { ... } }");
        if (top is not null && top.TryGet("$schema", out var schema, out var schemaPath))
        {
            String(schema, schemaPath);
        }

        return top;
    }
}

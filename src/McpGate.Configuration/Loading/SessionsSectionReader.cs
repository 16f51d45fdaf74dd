using System.Text.Json;

namespace McpGate.Configuration.Loading;

/// <summary><c>gateway.sessions</c> (docs/deploy.md): the key ring directory every replica seals session ids with.</summary>
internal sealed class SessionsSectionReader(ConfigErrorSink errors, Func<string, string?> environment) : SectionReader(errors, environment)
{
    private static readonly string[] s_keys = ["keyRing"];

    /// <summary>The section, or <paramref name="defaults"/> when it names no usable key ring.</summary>
    public SessionSettings Read(JsonElement element, string path, SessionSettings defaults)
    {
        var sessions = Object(element, path, s_keys, "write { \"keyRing\": \"/var/lib/mcpgate/keys\" }");
        if (sessions is null || !sessions.TryGet("keyRing", out var keyRingElement, out var keyRingPath))
        {
            return defaults;
        }

        const string Fix = "give a directory every replica mounts read-write, e.g. \"/var/lib/mcpgate/keys\"";
        var keyRing = String(keyRingElement, keyRingPath, Fix);
        if (keyRing is null)
        {
            return defaults;
        }

        if (keyRing.Trim().Length != keyRing.Length)
        {
            Error(keyRingPath, $"the key ring directory \"{Shorten(keyRing)}\" starts or ends with white space", $"remove it: \"{Shorten(keyRing.Trim())}\"");
            return defaults;
        }

        // Resolved here, once, against the working directory (as audit paths are): every replica then names the same
        // directory in its log, whatever it does with its working directory later.
        string full;
        try
        {
            full = Path.GetFullPath(keyRing);
        }
        catch (ArgumentException)
        {
            Error(keyRingPath, $"\"{Shorten(keyRing)}\" is not a usable path (it holds a NUL character)", Fix);
            return defaults;
        }

        if (File.Exists(full))
        {
            Error(keyRingPath, $"{full} is a file, but the key ring is a directory of key files", "name the directory that holds (or is to hold) the key files, e.g. \"/var/lib/mcpgate/keys\"");
            return defaults;
        }

        return new SessionSettings { KeyRing = full };
    }
}

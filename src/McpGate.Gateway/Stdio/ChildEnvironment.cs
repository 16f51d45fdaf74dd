namespace McpGate.Gateway.Stdio;

/// <summary>
/// The environment a stdio child starts with: a few variables a program needs to run at all, copied from the gate,
/// then the upstream's configured <c>env</c>. The gate's own environment holds its secrets (bearer tokens substituted
/// into the config, cloud credentials): a server that needs one is given it by name in <c>env</c>.
/// </summary>
/// <remarks>The same lists as the official SDKs' stdio transports (TypeScript <c>DEFAULT_INHERITED_ENV_VARS</c>).</remarks>
internal static class ChildEnvironment
{
    private static readonly string[] s_posix = ["HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER"];

    private static readonly string[] s_windows =
    [
        "APPDATA", "HOMEDRIVE", "HOMEPATH", "LOCALAPPDATA", "PATH", "PROCESSOR_ARCHITECTURE", "SYSTEMDRIVE", "SYSTEMROOT",
        "TEMP", "USERNAME", "USERPROFILE", "PROGRAMFILES",
    ];

    public static void Apply(IDictionary<string, string?> target, IReadOnlyDictionary<string, string> configured)
    {
        target.Clear();
        foreach (var name in OperatingSystem.IsWindows() ? s_windows : s_posix)
        {
            // A value starting with "()" is an exported shell function: a program is better off without it (as the SDKs).
            if (Environment.GetEnvironmentVariable(name) is { } value && !value.StartsWith("()", StringComparison.Ordinal))
            {
                target[name] = value;
            }
        }

        foreach (var (name, value) in configured)
        {
            target[name] = value;
        }
    }
}

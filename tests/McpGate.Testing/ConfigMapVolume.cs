using System.Runtime.InteropServices;

namespace McpGate.Testing;

/// <summary>
/// A directory laid out the way the kubelet lays out a ConfigMap volume, and updated the way it updates one:
/// <c>servers.json → ..data/servers.json</c>, <c>..data → ..&lt;timestamp&gt;/</c>; an update writes a new timestamped
/// directory, points <c>..data_tmp</c> at it, renames <c>..data_tmp</c> over <c>..data</c> (atomic), and deletes the old
/// directory. Linux symlinks, as on a node.
/// </summary>
public static class ConfigMapVolume
{
    public const string FileName = "servers.json";
    private const string DataLink = "..data";

    private static int s_generation;

    /// <summary>Lays out the volume in <paramref name="directory"/> and returns the config file's path.</summary>
    public static string Create(string directory, string content)
    {
        var generation = WriteGeneration(directory, content);
        Directory.CreateSymbolicLink(Path.Combine(directory, DataLink), generation);
        File.CreateSymbolicLink(Path.Combine(directory, FileName), Path.Combine(DataLink, FileName));
        return Path.Combine(directory, FileName);
    }

    /// <summary>Swaps the content in, as the kubelet does: servers.json itself is never written.</summary>
    public static void Update(string directory, string content)
    {
        var link = Path.Combine(directory, DataLink);
        var previous = File.ResolveLinkTarget(link, returnFinalTarget: false)?.FullName;
        var generation = WriteGeneration(directory, content);
        var temporary = Path.Combine(directory, "..data_tmp");
        Directory.CreateSymbolicLink(temporary, generation);

        // rename(2) of the link itself over the old link: .NET's File.Move and Directory.Move would follow it to a
        // directory, or refuse to replace one.
        if (Rename(temporary, link) != 0)
        {
            throw new IOException($"rename {temporary} -> {link} failed: errno {Marshal.GetLastPInvokeError()}");
        }
        if (previous is not null && Directory.Exists(previous))
        {
            Directory.Delete(previous, recursive: true);
        }
    }

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(string oldPath, string newPath);

    private static string WriteGeneration(string directory, string content)
    {
        var name = $"..{DateTime.UtcNow:yyyy_MM_dd_HH_mm_ss}.{Interlocked.Increment(ref s_generation)}";
        var path = Path.Combine(directory, name);
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, FileName), content);
        return name;
    }
}

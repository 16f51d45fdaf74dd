using System.ComponentModel;
using ModelContextProtocol.Server;

namespace McpGate.Testing;

[McpServerResourceType]
internal sealed class DefaultResources(UpstreamSpy spy)
{
    public const string ReadmeUri = "file:///public/readme.md";
    public const string KeysUri = "file:///secret/keys.txt";

    [McpServerResource(UriTemplate = ReadmeUri, Name = "readme", MimeType = "text/markdown")]
    [Description("The project readme.")]
    public string Readme()
    {
        spy.RecordResourceRead(ReadmeUri);
        return "# Project\nA small demo project.";
    }

    [McpServerResource(UriTemplate = KeysUri, Name = "keys", MimeType = "text/plain")]
    [Description("Deployment keys.")]
    public string Keys()
    {
        spy.RecordResourceRead(KeysUri);
        return "AKIA-TEST-ONLY-0000";
    }

    [McpServerResource(UriTemplate = "file:///projects/{name}/notes.md", Name = "project_notes", MimeType = "text/markdown")]
    [Description("Notes of one project.")]
    public string ProjectNotes(string name)
    {
        spy.RecordResourceRead($"file:///projects/{name}/notes.md");
        return $"# Notes for {name}\nNothing yet.";
    }
}

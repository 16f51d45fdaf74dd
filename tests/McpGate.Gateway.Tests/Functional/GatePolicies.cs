namespace McpGate.Gateway.Tests.Functional;

/// <summary>Policies for the functional tests. Tokens are plain here so the tests can present them.</summary>
internal static class GatePolicies
{
    public const string AliceToken = "alice-secret-token-7f3a";
    public const string BobToken = "bob-secret-token-91c2";
    public const string CarolToken = "carol-secret-token-55e0";
    public const string DaveToken = "dave-secret-token-3b8d";

    /// <summary>
    /// alice: dev (everything on every server). bob: reader (read tools, public resources, the code_review prompt).
    /// carol: reader plus an explicit deny of every tool on <c>files</c> (deny wins). dave: only the resources under
    /// <c>file:///public/</c> (no tools, no prompts, no resource template).
    /// </summary>
    public static string Standard(Uri upstream, string extraGateway = "") => $$"""
    {
      "mcpServers": {
        "files": { "url": "{{upstream}}", "headers": { "X-Upstream-Key": "upstream-key-1" } }
      },
      "serverAuth": {
        "providers": ["bearer"],
        "bearer": {
          "tokens": {
            "{{AliceToken}}": { "subject": "alice", "roles": ["dev"] },
            "{{BobToken}}": "bob",
            "{{CarolToken}}": { "subject": "carol", "roles": ["reader"] },
            "{{DaveToken}}": { "subject": "dave", "roles": ["public-reader"] }
          }
        },
        "acl": {
          "default": "deny",
          "roles": {
            "dev": [ { "server": "*", "access": "*" } ],
            "reader": [
              { "server": "files", "access": "read", "tools": ["*"] },
              { "server": "files", "access": "read", "resources": ["file:///public/*", "file:///projects/*"] },
              { "server": "files", "access": "read", "prompts": ["code_review"] }
            ],
            "public-reader": [ { "server": "files", "access": "read", "resources": ["file:///public/*"] } ],
            "no-files": [ { "server": "files", "access": "*", "deny": true, "tools": ["*"] } ]
          },
          "subjects": {
            "bob": { "roles": ["reader"] },
            "carol": { "roles": ["no-files"] }
          }
        }
      },
      "gateway": { {{extraGateway}} }
    }
    """;
}

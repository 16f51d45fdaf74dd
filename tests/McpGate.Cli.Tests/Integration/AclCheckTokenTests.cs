using System.Text.Json;
using McpGate.Testing;

namespace McpGate.Cli.Tests.Integration;

/// <summary>
/// <c>mcp acl check --token</c> with tokens from a real IdP (oidc-provider): validated as the gate validates them (the
/// gate's own validator, docs/oauth.md), then decided for the identity they resolve to.
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
public sealed class AclCheckTokenTests : IAsyncLifetime
{
    private const string Resource = "http://127.0.0.1:9";
    private readonly TempDirectory _directory = new();
    private IdpPeer _idp = null!;

    public async Task InitializeAsync() => _idp = await IdpPeer.StartAsync();

    public async Task DisposeAsync()
    {
        await _idp.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task TokenFromAFile_ShowsTheSubjectAndRolesFromWhichClaims_AndDecides()
    {
        var token = await _idp.ClientCredentialsTokenAsync("sre-bot", Resource + "/mcp/files");
        var file = _directory.WriteFile("token.jwt", "Bearer " + token + "\n");

        var run = await CheckAsync("--token", "@" + file, "--server", "files", "--tool", "delete_file", "--offline");

        run.ExitCode.Should().Be(0, run.ToString());
        var lines = run.Output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be($"token  valid: subject sre-bot (claim sub), roles admin (groups: sre), issued by {_idp.Issuer} to sre-bot");
        lines[1].Should().StartWith("ALLOW  sre-bot → files/delete_file  via admin[0]");
    }

    [Fact]
    public async Task TokenWhoseRolesDoNotCoverTheCall_IsDenied_AndTheJsonSaysWhereTheRolesCameFrom()
    {
        var token = await _idp.ClientCredentialsTokenAsync("dev-bot", Resource + "/mcp/files");

        var run = await CheckAsync("--token", token, "--server", "files", "--tool", "delete_file", "--offline", "--format", "json");

        run.ExitCode.Should().Be(1, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        root.GetProperty("subject").GetString().Should().Be("dev-bot");
        root.GetProperty("decision").GetString().Should().Be("deny");
        var roles = root.GetProperty("token").GetProperty("roles").EnumerateArray().Single();
        roles.GetProperty("role").GetString().Should().Be("dev");
        roles.GetProperty("claim").GetString().Should().Be("groups");
        roles.GetProperty("value").GetString().Should().Be("engineering", "dev-guild is not in the roleMap, so it gives no role");
    }

    [Theory]
    [InlineData("other route", "audience")]
    [InlineData("tampered", "signature")]
    [InlineData("not a jwt", "malformed")]
    public async Task TokenTheGateWouldRefuse_ExitsTwoWithTheReason(string kind, string reason)
    {
        var token = kind switch
        {
            "other route" => await _idp.ClientCredentialsTokenAsync("sre-bot", Resource + "/mcp/other"),
            "tampered" => IdpPeer.Tampered(await _idp.ClientCredentialsTokenAsync("dev-bot", Resource + "/mcp/files")),
            _ => "not-a-jwt",
        };

        var run = await CheckAsync("--token", token, "--server", "files", "--tool", "read_file", "--offline");

        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Should().Contain($"the gate would refuse this token on /mcp/files: {reason}");
        run.Output.Should().BeEmpty();
    }

    [Fact]
    public async Task TokenWithSubject_IsAUsageError()
    {
        var run = await CheckAsync("--token", "x.y.z", "--subject", "alice", "--server", "files", "--tool", "read_file", "--offline");

        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Should().Contain("without --subject and --role");
    }

    private Task<McpRun> CheckAsync(params string[] args)
    {
        var path = _directory.WriteFile("servers.json", _idp.GateConfig(new Uri(Resource + "/mcp"), Resource));
        return McpProcess.RunAsync(_directory.Path, ["acl", "check", "--config", path, .. args]);
    }
}

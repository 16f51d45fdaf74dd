using McpGate.Testing;

namespace McpGate.Configuration.Tests;

/// <summary>
/// <c>gateway.sessions</c> and <c>gateway.redis</c> (docs/deploy.md, "Sessions across replicas"): what they map to,
/// and each mistake refused with the file, the JSON path and the fix.
/// </summary>
public sealed class SessionsAndRedisConfigTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void KeyRingAndRedis_AreMapped_TheKeyRingAsAFullPath()
    {
        var gateway = Policies.Parse("""
            { "mcpServers": {}, "gateway": { "sessions": { "keyRing": "/var/lib/mcpgate/keys" }, "redis": "${REDIS}" } }
            """, new Dictionary<string, string> { ["REDIS"] = "redis:6379,password=secret" }).Gateway;

        gateway.Sessions.KeyRing.Should().Be("/var/lib/mcpgate/keys");
        gateway.Redis.Should().Be("redis:6379,password=secret");
    }

    [Fact]
    public void ARelativeKeyRing_IsResolvedAgainstTheWorkingDirectory_AsDocumented()
    {
        var keyRing = Policies.Parse("""{ "mcpServers": {}, "gateway": { "sessions": { "keyRing": "state/keys" } } }""").Gateway.Sessions.KeyRing;

        keyRing.Should().Be(Path.Combine(Environment.CurrentDirectory, "state", "keys"));
    }

    [Fact]
    public void NeitherSet_MeansKeysOfThisProcessOnly()
    {
        var gateway = Policies.Parse("""{ "mcpServers": {}, "gateway": { "sessions": {} } }""").Gateway;

        gateway.Sessions.KeyRing.Should().BeNull();
        gateway.Redis.Should().BeNull();
    }

    [Theory]
    [InlineData("""{ "sessions": { "keyRing": 42 } }""", "$.gateway.sessions.keyRing", "expected a string, found the number 42", "/var/lib/mcpgate/keys")]
    [InlineData("""{ "sessions": { "keyRing": ["/keys"] } }""", "$.gateway.sessions.keyRing", "expected a string, found a list", "/var/lib/mcpgate/keys")]
    [InlineData("""{ "sessions": { "keyRing": "" } }""", "$.gateway.sessions.keyRing", "the value is empty", "/var/lib/mcpgate/keys")]
    [InlineData("""{ "sessions": { "keyRing": " /keys" } }""", "$.gateway.sessions.keyRing", "starts or ends with white space", "remove it: \"/keys\"")]
    [InlineData("""{ "sessions": { "keyRing": "/keys\u0000x" } }""", "$.gateway.sessions.keyRing", "not a usable path", "/var/lib/mcpgate/keys")]
    [InlineData("""{ "sessions": { "keyring": "/keys" } }""", "$.gateway.sessions.keyring", "unknown key \"keyring\"", "did you mean \"keyRing\"?")]
    [InlineData("""{ "sessions": { "redis": "127.0.0.1:6379" } }""", "$.gateway.sessions.redis", "unknown key \"redis\"", "\"keyRing\"")]
    [InlineData("""{ "sessions": "/keys" }""", "$.gateway.sessions", "expected an object, found the string \"/keys\"", "{ \"keyRing\": \"/var/lib/mcpgate/keys\" }")]
    [InlineData("""{ "session": { "keyRing": "/keys" } }""", "$.gateway.session", "unknown key \"session\"", "did you mean \"sessions\"?")]
    [InlineData("""{ "redis": "" }""", "$.gateway.redis", "the value is empty", "\"127.0.0.1:6379\"")]
    [InlineData("""{ "redis": "   " }""", "$.gateway.redis", "the connection string is blank", "\"127.0.0.1:6379\"")]
    [InlineData("""{ "redis": 6379 }""", "$.gateway.redis", "expected a string, found the number 6379", "\"127.0.0.1:6379\"")]
    [InlineData("""{ "redis": { "host": "redis" } }""", "$.gateway.redis", "expected a string, found an object", "StackExchange.Redis connection string")]
    [InlineData("""{ "redis": "${MCPGATE_TEST_UNSET_REDIS}" }""", "$.gateway.redis", "environment variable MCPGATE_TEST_UNSET_REDIS is not set", "${MCPGATE_TEST_UNSET_REDIS:-value}")]
    [InlineData("""{ "sessions": { "keyRing": "${MCPGATE_TEST_UNSET_KEYS}" } }""", "$.gateway.sessions.keyRing", "environment variable MCPGATE_TEST_UNSET_KEYS is not set", "set MCPGATE_TEST_UNSET_KEYS")]
    [InlineData("""{ "rediss": "127.0.0.1:6379" }""", "$.gateway.rediss", "unknown key \"rediss\"", "did you mean \"redis\"?")]
    public void Mistakes_AreRefusedWithPathMessageAndFix(string gateway, string path, string message, string fix)
    {
        var exception = Policies.Fails($$"""{ "mcpServers": {}, "gateway": {{gateway}} }""");

        var error = exception.Errors.Should().ContainSingle().Which;
        error.JsonPath.Should().Be(path);
        error.Message.Should().Contain(message);
        error.Fix.Should().Contain(fix);
        error.Line.Should().NotBeNull("the error points at the line of the mistake");
        exception.Message.Should().Contain(Policies.SourcePath).And.Contain(path);
    }

    [Fact]
    public void AKeyRingThatIsAFile_IsRefused_TheDirectoryItMustBeNamed()
    {
        var file = _directory.WriteFile("keys.xml", "<keys/>");

        var exception = Policies.Fails($$"""{ "mcpServers": {}, "gateway": { "sessions": { "keyRing": "{{file}}" } } }""");

        var error = exception.Errors.Should().ContainSingle().Which;
        error.JsonPath.Should().Be("$.gateway.sessions.keyRing");
        error.Message.Should().Be($"{file} is a file, but the key ring is a directory of key files");
        error.Fix.Should().Contain("name the directory");
    }
}

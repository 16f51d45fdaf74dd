using McpGate.Testing;

namespace McpGate.Configuration.Tests;

/// <summary>
/// Every load error an operator can hit: each names the file, the JSON path, what is wrong and the fix, and is the
/// only error reported for its input.
/// </summary>
public sealed class LoadErrorTests
{
    private const string Ok = """ "ok": { "url": "http://127.0.0.1:1/mcp" } """;

    public static TheoryData<string, string, string, string, string> Cases => new()
    {
        // Structure and unknown keys
        { "missing mcpServers", "{}", "$", "missing \"mcpServers\"", "add \"mcpServers\"" },
        { "unknown top-level key", """{ "mcpServers": {}, "gatway": {} }""", "$.gatway", "unknown key \"gatway\"", "did you mean \"gateway\"?" },
        { "unknown key without suggestion", """{ "mcpServers": {}, "zzzzzz": 1 }""", "$.zzzzzz", "unknown key", "the keys allowed here are \"mcpServers\", \"serverAuth\", \"gateway\", \"audit\"" },
        { "wrong type", """{ "mcpServers": [] }""", "$.mcpServers", "expected an object, found a list", "\"<alias>\"" },

        // Upstreams
        { "alias with space", Servers(""" "my server": { "url": "http://x/mcp" } """), "$.mcpServers['my server']", "contains ' '", "letters, digits" },
        { "alias with __", Servers(""" "git__hub": { "url": "http://x/mcp" } """), "$.mcpServers.git__hub", "contains \"__\"", "without \"__\"" },
        { "alias dot-dot", Servers(""" "..": { "url": "http://x/mcp" } """), "$.mcpServers['..']", "relative path segment", "letters, digits" },
        { "url and command", Servers(""" "a": { "url": "http://x/mcp", "command": "srv" } """), "$.mcpServers.a", "both \"url\" and \"command\"", "not both" },
        { "neither url nor command", Servers(""" "a": { "headers": {} } """), "$.mcpServers.a", "neither \"url\" nor \"command\"", "add \"url\"" },
        { "relative url", Servers(""" "a": { "url": "/mcp" } """), "$.mcpServers.a.url", "not an absolute http(s) URL", "absolute http://" },
        { "ftp url", Servers(""" "a": { "url": "ftp://x/mcp" } """), "$.mcpServers.a.url", "not an absolute http(s) URL", "absolute http://" },
        { "headers on command", Servers(""" "a": { "command": "srv", "headers": { "X": "y" } } """), "$.mcpServers.a.headers", "apply only to a \"url\" upstream", "remove \"headers\"" },
        { "args on url", Servers(""" "a": { "url": "http://x/mcp", "args": ["--x"] } """), "$.mcpServers.a.args", "apply only to a \"command\" upstream", "remove \"args\"" },
        { "reserved header", Servers(""" "a": { "url": "http://x/mcp", "headers": { "Host": "evil" } } """), "$.mcpServers.a.headers.Host", "managed by the proxy", "remove it" },
        { "bad header name", Servers(""" "a": { "url": "http://x/mcp", "headers": { "X Y": "v" } } """), "$.mcpServers.a.headers['X Y']", "not a valid HTTP header name", "letters, digits" },
        { "tool_acl same pattern", Servers(""" "a": { "url": "http://x/mcp", "tool_acl": { "read": ["get_*", "run_*"], "write": ["run_*"] } } """), "$.mcpServers.a.tool_acl.write[0]", "pattern \"run_*\" is in both tool_acl.read and tool_acl.write", "keep it in one list" },
        { "tool_acl unknown key", Servers(""" "a": { "url": "http://x/mcp", "tool_acl": { "reads": [] } } """), "$.mcpServers.a.tool_acl.reads", "unknown key", "did you mean \"read\"?" },
        { "server typo", Servers(""" "a": { "command": "srv", "uri": "http://x/mcp" } """), "$.mcpServers.a.uri", "unknown key \"uri\"", "did you mean \"url\"?" },

        // Environment
        { "unset variable", Servers(""" "a": { "url": "http://x/mcp", "headers": { "Authorization": "Bearer ${NOT_SET_ANYWHERE}" } } """), "$.mcpServers.a.headers.Authorization", "environment variable NOT_SET_ANYWHERE is not set", "${NOT_SET_ANYWHERE:-value}" },
        { "malformed reference", Servers(""" "a": { "url": "http://x/mcp", "headers": { "X": "${GITHUB-TOKEN}" } } """), "$.mcpServers.a.headers.X", "is not a valid variable reference", "${NAME:-fallback}" },
        { "unclosed reference", Servers(""" "a": { "url": "http://x/${HOST" } """), "$.mcpServers.a.url", "is not a valid variable reference", "${NAME}" },

        // Authentication
        { "unknown provider", Auth(""" "providers": ["jwt"] """), "$.serverAuth.providers[0]", "unknown provider \"jwt\"", "use \"bearer\", \"forwarded\" or \"oauth\"" },
        { "provider typo", Auth(""" "providers": ["berer"] """), "$.serverAuth.providers[0]", "unknown provider", "did you mean \"bearer\"?" },
        { "provider twice", Auth(""" "providers": ["bearer", "bearer"], "bearer": { "tokens": {} } """), "$.serverAuth.providers[1]", "listed twice", "once" },
        { "oauth_as provider", Auth(""" "providers": ["oauth_as"] """), "$.serverAuth.providers[0]", "not supported", "use \"oauth\"" },
        { "oauthAs section", Auth(""" "oauthAs": {} """), "$.serverAuth.oauthAs", "not supported by McpGate", "remove it" },
        { "oauth listed without section", Auth(""" "providers": ["oauth"] """), "$.serverAuth.providers", "serverAuth.oauth is missing", "add \"oauth\": { \"issuer\"" },
        { "oauth section not listed", Auth(""" "oauth": { "issuer": "https://idp.example.com", "resource": "https://gate.example.com" } """), "$.serverAuth.oauth", "not in serverAuth.providers", "add \"oauth\" to serverAuth.providers" },
        { "oauth without issuer", OAuth(""" "resource": "https://gate.example.com" """), "$.serverAuth.oauth", "missing \"issuer\"", "/.well-known/openid-configuration" },
        { "oauth without resource", OAuth(""" "issuer": "https://idp.example.com" """), "$.serverAuth.oauth", "missing \"resource\"", "the URL clients reach the gate at" },
        { "oauth issuer over http", OAuth(""" "issuer": "http://idp.example.com", "resource": "https://gate.example.com" """), "$.serverAuth.oauth.issuer", "is plain http", "use https" },
        { "oauth relative resource", OAuth(""" "issuer": "https://idp.example.com", "resource": "/gate" """), "$.serverAuth.oauth.resource", "not an absolute http(s) URL", "https://gate.example.com" },
        { "oauth issuer with query", OAuth(""" "issuer": "https://idp.example.com/?tenant=1", "resource": "https://gate.example.com" """), "$.serverAuth.oauth.issuer", "query or fragment", "without ?" },
        { "oauth key typo", OAuth(""" "issuer": "https://idp.example.com", "resource": "https://gate.example.com", "roleClaim": ["groups"] """), "$.serverAuth.oauth.roleClaim", "unknown key \"roleClaim\"", "did you mean \"roleClaims\"?" },
        { "oauth roleMap to a string", OAuth(""" "issuer": "https://idp.example.com", "resource": "https://gate.example.com", "roleMap": { "sre": "admin" } """), "$.serverAuth.oauth.roleMap.sre", "expected a list of role names", "[\"admin\"]" },
        { "oauth required scope not advertised", OAuth(""" "issuer": "https://idp.example.com", "resource": "https://gate.example.com", "requiredScopes": ["mcp"], "scopesSupported": ["other"] """), "$.serverAuth.oauth.scopesSupported", "required scope \"mcp\" is not advertised", "add \"mcp\" to scopesSupported" },
        { "oauth empty audiences", OAuth(""" "issuer": "https://idp.example.com", "resource": "https://gate.example.com", "audiences": [] """), "$.serverAuth.oauth.audiences", "empty", "list at least one value" },
        { "bearer listed without section", Auth(""" "providers": ["bearer"] """), "$.serverAuth.providers", "serverAuth.bearer is missing", "add \"bearer\"" },
        { "bearer section not listed", Auth(""" "bearer": { "tokens": {} } """), "$.serverAuth.bearer", "not in serverAuth.providers", "add \"bearer\" to serverAuth.providers" },
        { "forwarded without trustedProxies", Auth(""" "providers": ["forwarded"], "forwarded": { "header": "x-user" } """), "$.serverAuth.forwarded", "needs \"trustedProxies\"", "\"trustedProxies\": [\"127.0.0.1/32\"]" },
        { "forwarded listed without section", Auth(""" "providers": ["forwarded"] """), "$.serverAuth.providers", "serverAuth.forwarded is missing", "trustedProxies" },
        { "empty trustedProxies", Auth(""" "providers": ["forwarded"], "forwarded": { "trustedProxies": [] } """), "$.serverAuth.forwarded.trustedProxies", "the list is empty", "at least one proxy" },
        { "bad cidr", Auth(""" "providers": ["forwarded"], "forwarded": { "trustedProxies": ["127.0.0.1/33"] } """), "$.serverAuth.forwarded.trustedProxies[0]", "invalid prefix length", "CIDR range" },
        { "not an address", Auth(""" "providers": ["forwarded"], "forwarded": { "trustedProxies": ["localhost"] } """), "$.serverAuth.forwarded.trustedProxies[0]", "not an IP address or CIDR range", "CIDR range" },
        { "host bits set", Auth(""" "providers": ["forwarded"], "forwarded": { "trustedProxies": ["10.1.2.3/8"] } """), "$.serverAuth.forwarded.trustedProxies[0]", "bits set after the /8 prefix", "\"10.0.0.0/8\"" },
        { "forwarded key typo", Auth(""" "providers": ["forwarded"], "forwarded": { "groupsHeader": "x", "trustedProxies": ["::1"] } """), "$.serverAuth.forwarded.groupsHeader", "unknown key", "did you mean \"groups_header\"?" },
        { "short sha256", Auth(""" "providers": ["bearer"], "bearer": { "tokens": { "sha256:abcd": "bob" } } """), "$.serverAuth.bearer.tokens['sha256:abcd']", "exactly 64 hex digits, found 4", "sha256sum" },
        { "uppercase sha256", Auth(""" "providers": ["bearer"], "bearer": { "tokens": { "sha256:84C60DC436211B8B0816C38AA8BD40567B75D7FC47FDECAB65F40885348C6BBD": "bob" } } """), "$.serverAuth.bearer.tokens['sha256:84C60DC436211B8B0816C38AA8BD40567B75D7FC47FDECAB65F40885348C6BBD']", "must be lowercase", "sha256:84c60dc4" },
        { "uppercase prefix", Auth(""" "providers": ["bearer"], "bearer": { "tokens": { "SHA256:84c60dc436211b8b0816c38aa8bd40567b75d7fc47fdecab65f40885348c6bbd": "bob" } } """), "$.serverAuth.bearer.tokens['SHA256:84c60dc436211b8b0816c38aa8bd40567b75d7fc47fdecab65f40885348c6bbd']", "must be lowercase", "sha256sum" },
        { "token without subject", Auth(""" "providers": ["bearer"], "bearer": { "tokens": { "sha256:84c60dc436211b8b0816c38aa8bd40567b75d7fc47fdecab65f40885348c6bbd": { "roles": ["dev"] } } } """), "$.serverAuth.bearer.tokens['sha256:84c60dc436211b8b0816c38aa8bd40567b75d7fc47fdecab65f40885348c6bbd']", "missing \"subject\"", "{ \"subject\": \"alice\"" },
        { "same token twice", Auth(""" "providers": ["bearer"], "bearer": { "tokens": { "bob-demo-token": "bob", "sha256:84c60dc436211b8b0816c38aa8bd40567b75d7fc47fdecab65f40885348c6bbd": "bob2" } } """), "$.serverAuth.bearer.tokens['sha256:84c60dc436211b8b0816c38aa8bd40567b75d7fc47fdecab65f40885348c6bbd']", "already configured at $.serverAuth.bearer.tokens[<token #1>]", "remove one" },
        { "bearer without tokens", Auth(""" "providers": ["bearer"], "bearer": {} """), "$.serverAuth.bearer", "missing \"tokens\"", "\"tokens\"" },

        // ACL
        { "rules with roles", Acl(""" { "rules": [], "roles": {} } """), "$.serverAuth.acl", "cannot be combined", "use one schema" },
        { "undefined role", Acl(""" { "roles": { "dev": [] }, "subjects": { "bob": { "roles": ["dve"] } } } """), "$.serverAuth.acl.subjects.bob.roles[0]", "role \"dve\" is not defined", "did you mean \"dev\"?" },
        { "undefined role without suggestion", Acl(""" { "roles": { "dev": [] }, "subjects": { "bob": { "roles": ["admin"] } } } """), "$.serverAuth.acl.subjects.bob.roles[0]", "role \"admin\" is not defined", "define it under \"roles\", or use one of: \"dev\"" },
        { "access uppercase", Acl(""" { "roles": { "dev": [ { "server": "*", "access": "Read" } ] } } """), "$.serverAuth.acl.roles.dev[0].access", "is not \"read\", \"write\" or \"*\" (lowercase)", "write it in lowercase: \"read\"" },
        { "access all", Acl(""" { "roles": { "dev": [ { "server": "*", "access": "all" } ] } } """), "$.serverAuth.acl.roles.dev[0].access", "access \"all\"", "use \"*\"" },
        { "access typo", Acl(""" { "roles": { "dev": [ { "server": "*", "access": "wirte" } ] } } """), "$.serverAuth.acl.roles.dev[0].access", "access \"wirte\"", "did you mean \"write\"?" },
        { "grant key typo", Acl(""" { "roles": { "dev": [ { "server": "*", "access": "read", "tool": ["x"] } ] } } """), "$.serverAuth.acl.roles.dev[0].tool", "unknown key \"tool\"", "did you mean \"tools\"?" },
        { "missing server", Acl(""" { "roles": { "dev": [ { "access": "read" } ] } } """), "$.serverAuth.acl.roles.dev[0]", "missing \"server\"", "add \"server\": \"*\"" },
        { "missing access", Acl(""" { "roles": { "dev": [ { "server": "*" } ] } } """), "$.serverAuth.acl.roles.dev[0]", "missing \"access\"", "add \"access\"" },
        { "empty tools", Acl(""" { "roles": { "dev": [ { "server": "*", "access": "read", "tools": [] } ] } } """), "$.serverAuth.acl.roles.dev[0].tools", "the list is empty", "remove the key to cover every tool" },
        { "tools as string", Acl(""" { "roles": { "dev": [ { "server": "*", "access": "read", "tools": "list_*" } ] } } """), "$.serverAuth.acl.roles.dev[0].tools", "expected a list of strings", "[\"list_*\"]" },
        { "empty server list", Acl(""" { "roles": { "dev": [ { "server": [], "access": "read" } ] } } """), "$.serverAuth.acl.roles.dev[0].server", "the list is empty", "\"*\" for every upstream" },
        { "empty pattern", Acl(""" { "roles": { "dev": [ { "server": "*", "access": "read", "prompts": [""] } ] } } """), "$.serverAuth.acl.roles.dev[0].prompts[0]", "the value is empty", "globs" },
        { "deny not bool", Acl(""" { "roles": { "dev": [ { "server": "*", "access": "read", "deny": "yes" } ] } } """), "$.serverAuth.acl.roles.dev[0].deny", "expected true or false, found the string \"yes\"", "without quotes" },
        { "role not a list", Acl(""" { "roles": { "dev": { "server": "*", "access": "read" } } } """), "$.serverAuth.acl.roles.dev", "expected a list of grants", "a role is a list of grants" },
        { "default capitalised", Acl(""" { "default": "Deny", "roles": {} } """), "$.serverAuth.acl.default", "is not \"allow\" or \"deny\"", "lowercase: \"deny\"" },
        { "strict in legacy", Acl(""" { "strictClassification": true, "rules": [] } """), "$.serverAuth.acl.strictClassification", "applies only to the role-based schema", "define roles and subjects" },
        { "acl key typo", Acl(""" { "default": "deny", "role": {} } """), "$.serverAuth.acl.role", "unknown key \"role\"", "did you mean \"roles\"?" },
        { "subject key typo", Acl(""" { "roles": { "dev": [] }, "subjects": { "bob": { "role": ["dev"] } } } """), "$.serverAuth.acl.subjects.bob.role", "unknown key \"role\"", "did you mean \"roles\"?" },
        { "extra grant error", Acl(""" { "roles": {}, "subjects": { "bob": { "extra": [ { "server": "*", "access": "rw" } ] } } } """), "$.serverAuth.acl.subjects.bob.extra[0].access", "access \"rw\"", "use \"*\"" },
        { "deny grant on undefined server", Acl(""" { "roles": { "no-prod": [ { "server": ["ok", "okk"], "access": "*", "deny": true } ] } } """), "$.serverAuth.acl.roles.no-prod[0].server[1]", "which mcpServers does not define", "did you mean \"ok\"?" },
        { "legacy rule without tools", Acl(""" { "rules": [ { "policy": "allow" } ] } """), "$.serverAuth.acl.rules[0]", "missing \"tools\"", "\"github__*\"" },
        { "legacy rule without policy", Acl(""" { "rules": [ { "tools": ["*"] } ] } """), "$.serverAuth.acl.rules[0]", "missing \"policy\"", "\"allow\" or \"deny\"" },
        { "legacy policy typo", Acl(""" { "rules": [ { "tools": ["*"], "policy": "alow" } ] } """), "$.serverAuth.acl.rules[0].policy", "is not \"allow\" or \"deny\"", "did you mean \"allow\"?" },

        // Gateway
        { "listen without port", Gateway(""" "listen": "127.0.0.1" """), "$.gateway.listen", "is not HOST:PORT", "\"127.0.0.1:8080\"" },
        { "listen bad port", Gateway(""" "listen": "127.0.0.1:99999" """), "$.gateway.listen", "is not HOST:PORT", "\"[::1]:8080\"" },
        { "listen host name", Gateway(""" "listen": "gw.internal:8080" """), "$.gateway.listen", "names a host, but the gate listens on an IP address", "\"0.0.0.0:8080\"" },
        { "deny code -32001", Gateway(""" "denyErrorCode": -32001 """), "$.gateway.denyErrorCode", "TypeScript SDK uses for request timeouts", "-32003" },
        { "deny code -32002", Gateway(""" "denyErrorCode": -32002 """), "$.gateway.denyErrorCode", "resource not found", "-32003" },
        { "deny code -32000", Gateway(""" "denyErrorCode": -32000 """), "$.gateway.denyErrorCode", "unauthenticated", "-32003" },
        { "deny code spec range", Gateway(""" "denyErrorCode": -32050 """), "$.gateway.denyErrorCode", "reserves for its own codes", "outside -32768..-32000" },
        { "deny code json-rpc", Gateway(""" "denyErrorCode": -32601 """), "$.gateway.denyErrorCode", "method not found", "-32003" },
        { "deny code string", Gateway(""" "denyErrorCode": "-32003" """), "$.gateway.denyErrorCode", "expected a whole number", "-32003" },
        { "denyAs typo", Gateway(""" "denyAs": "toolerror" """), "$.gateway.denyAs", "is not \"error\" or \"tool_error\"", "did you mean \"tool_error\"?" },
        { "audit path padded", Gateway(""" "audit": { "path": " -" } """), "$.gateway.audit.path", "starts or ends with white space", "remove it: \"-\"" },
        { "retained zero", Gateway(""" "audit": { "retainedFileCount": 0 } """), "$.gateway.audit.retainedFileCount", "at least 1", "at least 1" },
        { "audit path empty", Gateway(""" "audit": { "path": "" } """), "$.gateway.audit.path", "the value is empty", "\"-\" for stdout" },
        { "audit serilog not object", Gateway(""" "audit": { "serilog": "Seq" } """), "$.gateway.audit.serilog", "expected an object", "WriteTo" },
        { "max bytes zero", Gateway(""" "limits": { "maxRequestBytes": 0 } """), "$.gateway.limits.maxRequestBytes", "must be positive", "4194304" },
        { "timeout negative", Gateway(""" "timeouts": { "connectSeconds": -1 } """), "$.gateway.timeouts.connectSeconds", "must be more than 0", "positive number of seconds" },
        { "timeout key typo", Gateway(""" "timeouts": { "connectTimeout": 5 } """), "$.gateway.timeouts.connectTimeout", "unknown key", "did you mean \"connectSeconds\"?" },
        { "origin with path", Gateway(""" "allowedOrigins": ["http://localhost:3000/app"] """), "$.gateway.allowedOrigins[0]", "is not an origin", "scheme://host[:port]" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void InvalidConfig_IsRefusedWithPathMessageAndFix(string description, string json, string path, string message, string fix)
    {
        var exception = Policies.Fails(json);

        var error = exception.Errors.Should().ContainSingle(description).Which;
        error.JsonPath.Should().Be(path, description);
        error.Message.Should().Contain(message, description);
        error.Fix.Should().Contain(fix, description);
        exception.SourcePath.Should().Be(Policies.SourcePath);
        exception.Message.Should().Contain(Policies.SourcePath).And.Contain(path).And.Contain(error.Fix!);
    }

    [Fact]
    public void PlainToken_NeverAppearsInErrors()
    {
        var exception = Policies.Fails(Auth(""" "providers": ["bearer"], "bearer": { "tokens": { "super-secret-token-value": { "subject": "bob", "roles": "dev" } } } """));

        var error = exception.Errors.Should().ContainSingle().Which;
        error.JsonPath.Should().Be("$.serverAuth.bearer.tokens[<token #1>].roles");
        error.Line.Should().Be(1, "the position is still found although the path hides the token");
        exception.Message.Should().NotContain("super-secret-token-value");
    }

    [Fact]
    public void PlainTokenWithSpace_IsRefusedWithoutQuotingIt()
    {
        var exception = Policies.Fails(Auth(""" "providers": ["bearer"], "bearer": { "tokens": { "two words": "bob" } } """));

        exception.Errors.Should().ContainSingle().Which.Message.Should().Contain("whitespace");
        exception.Message.Should().NotContain("two words");
    }

    [Fact]
    public void SubstitutedValue_NeverAppearsInErrors()
    {
        var environment = new Dictionary<string, string> { ["UPSTREAM"] = "not a url with s3cr3t" };

        var exception = Policies.Fails(Servers(""" "a": { "url": "${UPSTREAM}" } """), environment);

        exception.Errors.Should().ContainSingle().Which.Message.Should().Contain("${UPSTREAM}");
        exception.Message.Should().NotContain("s3cr3t");
    }

    [Fact]
    public void HeaderValueWithLineBreakFromEnvironment_IsRefused()
    {
        var environment = new Dictionary<string, string> { ["TOKEN"] = "abc\r\nX-Injected: 1" };

        var exception = Policies.Fails(Servers(""" "a": { "url": "http://x/mcp", "headers": { "Authorization": "Bearer ${TOKEN}" } } """), environment);

        exception.Errors.Should().ContainSingle().Which.Message.Should().Contain("line break");
        exception.Message.Should().NotContain("X-Injected");
    }

    private static string Servers(string entries) => $$"""{ "mcpServers": { {{entries}} } }""";

    private static string Auth(string body) => $$"""{ "mcpServers": { {{Ok}} }, "serverAuth": { {{body}} } }""";

    private static string OAuth(string body) => Auth($$""" "providers": ["oauth"], "oauth": { {{body}} } """);

    private static string Acl(string acl) => $$"""{ "mcpServers": { {{Ok}} }, "serverAuth": { "acl": {{acl}} } }""";

    private static string Gateway(string body) => $$"""{ "mcpServers": {}, "gateway": { {{body}} } }""";
}

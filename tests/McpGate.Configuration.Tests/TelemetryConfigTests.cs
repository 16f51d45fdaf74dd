using McpGate.Testing;

namespace McpGate.Configuration.Tests;

/// <summary><c>gateway.telemetry</c>: the Prometheus switch and its loopback default; mistakes name path and fix.</summary>
public sealed class TelemetryConfigTests
{
    [Theory]
    [InlineData("", true, false)]
    [InlineData("\"telemetry\": {}", true, false)]
    [InlineData("\"telemetry\": { \"prometheus\": false }", false, false)]
    [InlineData("\"telemetry\": { \"prometheus\": true }", true, true)]
    public void Prometheus_IsOnByDefaultOnLoopbackOnly_UnlessSet(string gateway, bool onLoopback, bool onPublicAddress)
    {
        var telemetry = Policies.Parse($$"""{ "mcpServers": {}, "gateway": { {{gateway}} } }""").Gateway.Telemetry;

        telemetry.ServesPrometheus(loopbackOnly: true).Should().Be(onLoopback);
        telemetry.ServesPrometheus(loopbackOnly: false).Should().Be(onPublicAddress);
    }

    [Theory]
    [InlineData("""{ "prometheus": "yes" }""", "$.gateway.telemetry.prometheus", "expected true or false", "write true or false")]
    [InlineData("""{ "promethus": true }""", "$.gateway.telemetry.promethus", "unknown key \"promethus\"", "did you mean \"prometheus\"?")]
    [InlineData("""true""", "$.gateway.telemetry", "expected", "\"prometheus\": true")]
    public void Mistakes_AreRefusedWithPathMessageAndFix(string telemetry, string path, string message, string fix)
    {
        var exception = Policies.Fails($$"""{ "mcpServers": {}, "gateway": { "telemetry": {{telemetry}} } }""");

        var error = exception.Errors.Should().ContainSingle().Which;
        error.JsonPath.Should().Be(path);
        error.Message.Should().Contain(message);
        error.Fix.Should().Contain(fix);
        exception.Message.Should().Contain(Policies.SourcePath).And.Contain(path);
    }
}

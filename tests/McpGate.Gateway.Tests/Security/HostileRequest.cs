using System.Text;

namespace McpGate.Gateway.Tests.Security;

/// <summary>Who sends a hostile request; decides which rights the oracle grants (see <see cref="AccessOracle"/>).</summary>
internal enum Caller
{
    /// <summary>The reader role: read tools, public resources, the code_review prompt.</summary>
    Bob,

    /// <summary>Reader plus an explicit deny of every tool: no tool at all.</summary>
    Carol,

    /// <summary>No Authorization header.</summary>
    Anonymous,

    /// <summary>A bearer token the gate does not know.</summary>
    WrongToken,
}

/// <summary>Which Mcp-Session-Id the request carries.</summary>
internal enum SessionChoice
{
    None,

    /// <summary>The caller's own live session (bob's or carol's, initialized through the gate).</summary>
    Own,

    /// <summary>A session id the gate never saw created.</summary>
    Invented,

    /// <summary>A live session alice initialized through the gate: another subject's.</summary>
    Alices,
}

/// <summary>One generated POST: raw body bytes plus the headers that frame it.</summary>
internal sealed record HostileRequest(
    Caller Caller,
    byte[] Body,
    string? ContentType,
    string? ContentEncoding,
    SessionChoice Session,
    string? ProtocolVersion,
    IReadOnlyList<(string Name, string Value)> McpHeaders)
{
    /// <summary>POST mostly; GET and DELETE, which the gate forwards uninspected, with a body they may not carry.</summary>
    public string Verb { get; init; } = "POST";

    /// <summary>A readable form for CsCheck's failure report: every header and the body with non-ASCII bytes hex-escaped.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Verb).Append(" caller=").Append(Caller)
            .Append(" content-type=").Append(ContentType ?? "(none)")
            .Append(" content-encoding=").Append(ContentEncoding ?? "(none)")
            .Append(" session=").Append(Session)
            .Append(" protocol=").Append(ProtocolVersion ?? "(none)");
        foreach (var (name, value) in McpHeaders)
        {
            text.Append(' ').Append(name).Append('=').Append(value);
        }

        text.Append(" body(").Append(Body.Length).Append(" bytes)=");
        var shown = Math.Min(Body.Length, 2048);
        for (var i = 0; i < shown; i++)
        {
            var b = Body[i];
            if (b is >= 0x20 and < 0x7F)
            {
                text.Append((char)b);
            }
            else
            {
                text.Append("\\x").Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        if (shown < Body.Length)
        {
            text.Append('…');
        }

        return text.ToString();
    }
}

using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace McpGate.Gateway.Sessions;

/// <summary>
/// Seals the upstream's <c>Mcp-Session-Id</c> into the one the client sees, and opens it again on every request
/// (docs/gateway.md, "Sessions across replicas"; MCP security best practices, "session hijacking"). The sealed id is
/// ASP.NET Core Data Protection output (authenticated encryption under the shared key ring), so any replica can check
/// that the id is the gate's own, for this upstream, held by the subject that created it; a forged, altered or
/// foreign id fails to open and the caller gets 404, which makes it start over with <c>initialize</c>.
/// </summary>
internal sealed class SessionSealer
{
    /// <summary>The Data Protection purpose: a payload sealed for anything else never opens as a session id.</summary>
    public const string Purpose = "McpGate.Sessions.v1";

    // Bounded so that a client opening sessions in a loop cannot grow the gate without limit. An evicted id costs one
    // more unseal on its next request, nothing else.
    internal const int Capacity = 100_000;

    private const byte FormatVersion = 1;

    private readonly IDataProtector _protector;

    // Opening an id is a key lookup, HMAC and AES on every request; a session sends many requests, so each replica
    // remembers the ids it has opened. Only ids that opened are kept: garbage cannot fill the cache.
    private readonly ConcurrentDictionary<string, Opened> _opened = new(StringComparer.Ordinal);

    public SessionSealer(IDataProtectionProvider provider)
    {
        _protector = provider.CreateProtector(Purpose);
    }

    public int CachedCount => _opened.Count;

    /// <summary>
    /// Seals and opens a probe: loads the key ring (creating its first key when the ring is empty), so a replica
    /// that cannot read it is not ready, and the first key is made when the replica starts rather than mid-request.
    /// </summary>
    public void ProbeKeyRing() => _protector.Unprotect(_protector.Protect([FormatVersion]));

    /// <summary>The id the client is given for <paramref name="session"/>: URL-safe base64, visible ASCII as MCP requires.</summary>
    public string Seal(SealedSession session)
    {
        using var buffer = new MemoryStream(64 + session.UpstreamSessionId.Length);
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(session.Server);
            writer.Write(session.UpstreamSessionId);
            WriteOptional(writer, session.Subject);
            WriteOptional(writer, session.Issuer);
        }

        var sealedId = Base64Url.EncodeToString(_protector.Protect(buffer.ToArray()));
        Remember(sealedId, new Opened(session));
        return sealedId;
    }

    /// <summary>The session <paramref name="sealedId"/> carries; null when it is not one this gate's key ring sealed, or it has ended here.</summary>
    public SealedSession? Open(string sealedId)
    {
        if (_opened.TryGetValue(sealedId, out var opened))
        {
            return opened.Ended ? null : opened.Session;
        }

        if (Unseal(sealedId) is not { } session)
        {
            return null;
        }

        Remember(sealedId, new Opened(session));
        return session;
    }

    /// <summary>
    /// The client ended the session (DELETE): this replica refuses the id from now on without asking the upstream.
    /// Another replica still opens it and forwards it, and the upstream, which has ended the session, answers 404.
    /// </summary>
    public void End(string sealedId)
    {
        if (Open(sealedId) is { } session)
        {
            Remember(sealedId, new Opened(session) { Ended = true });
        }
    }

    internal SealedSession? Unseal(string sealedId)
    {
        byte[] payload;
        try
        {
            payload = _protector.Unprotect(Base64Url.DecodeFromChars(sealedId));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
            if (reader.ReadByte() != FormatVersion)
            {
                return null;
            }

            return new SealedSession(reader.ReadString(), reader.ReadString(), ReadOptional(reader), ReadOptional(reader));
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or IOException)
        {
            // Authentic but unreadable: sealed by a later format this build does not know.
            return null;
        }
    }

    private void Remember(string sealedId, Opened opened)
    {
        if (_opened.Count >= Capacity)
        {
            // Full: drop an arbitrary half; those ids are opened again on their next request.
            var toDrop = _opened.Count / 2;
            foreach (var key in _opened.Keys)
            {
                if (toDrop-- <= 0)
                {
                    break;
                }

                _opened.TryRemove(key, out _);
            }
        }

        _opened[sealedId] = opened;
    }

    private static void WriteOptional(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    private sealed class Opened(SealedSession session)
    {
        public SealedSession Session { get; } = session;

        public bool Ended { get; init; }
    }
}

using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace McpGate.Gateway.Authentication;

/// <summary>
/// Finds the issuer's metadata the way the MCP authorization spec asks a client to: OpenID Connect discovery
/// (<c>{issuer}/.well-known/openid-configuration</c>) first, then RFC 8414 (<c>/.well-known/oauth-authorization-server</c>
/// inserted before the issuer's path). The document's <c>issuer</c> must be the configured one (RFC 8414 §3.3), or a
/// document served elsewhere could name its own signing keys.
/// </summary>
internal sealed class AuthorizationServerMetadataRetriever(string issuer) : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    public static string OpenIdConfigurationUrl(string issuer) => issuer + "/.well-known/openid-configuration";

    public static string OAuthMetadataUrl(string issuer)
    {
        var uri = new Uri(issuer);
        return uri.GetLeftPart(UriPartial.Authority) + "/.well-known/oauth-authorization-server" + uri.AbsolutePath.TrimEnd('/');
    }

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await OpenIdConnectConfigurationRetriever.GetAsync(address, retriever, cancel);
        }
        catch (IOException)
        {
            // Not an OpenID provider (HttpDocumentRetriever reports a non-2xx answer as IOException): RFC 8414.
            configuration = await OpenIdConnectConfigurationRetriever.GetAsync(OAuthMetadataUrl(issuer), retriever, cancel);
        }

        if (!string.Equals(configuration.Issuer?.TrimEnd('/'), issuer, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the metadata of {issuer} names the issuer \"{configuration.Issuer}\"; they must be the same");
        }

        return configuration;
    }
}

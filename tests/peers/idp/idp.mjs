// A real OpenID provider for McpGate's OAuth tests (docs/oauth.md): oidc-provider on a loopback port.
//   IDP_PORT  the port (the issuer is http://127.0.0.1:<port>, so a restart keeps it)
//   IDP_JWKS  the signing keys, a private JWK Set; the first key signs. The tests make the keys, so they can
//             also sign the malformed and expired tokens a real IdP would never issue, and rotate keys by
//             restarting with a new one first.
// Clients (client credentials, resource indicators → JWT access tokens whose aud is the resource):
//   sre-bot/sre-secret (groups: sre), dev-bot/dev-secret (groups: engineering, dev-guild): client_secret_post;
//   ts-bot/ts-secret (groups: sre): client_secret_basic, as the TypeScript SDK's ClientCredentialsProvider sends it.
// Authorization code + PKCE (a public native client, as an MCP client on a user's machine is):
//   mcp-app, redirect http://127.0.0.1/callback, no secret; mcp-web/mcp-web-secret the same as a confidential client
//   (client_secret_basic). Users sign in through oidc-provider's own login and
//   consent pages (devInteractions: any password); the account's groups go into its tokens:
//   alice (groups: sre), bob (groups: engineering); any other login has no groups.
// Prints "listening <issuer>" once it answers.
import Provider from 'oidc-provider';

const port = Number(process.env.IDP_PORT);
const jwks = JSON.parse(process.env.IDP_JWKS);
const issuer = `http://127.0.0.1:${port}`;
const groups = { 'sre-bot': ['sre'], 'dev-bot': ['engineering', 'dev-guild'], 'ts-bot': ['sre'] };
const users = { alice: ['sre'], bob: ['engineering'] };

const client = (id) => ({
  client_id: id,
  client_secret: id.replace('-bot', '-secret'),
  grant_types: ['client_credentials'],
  redirect_uris: [],
  response_types: [],
  token_endpoint_auth_method: id === 'ts-bot' ? 'client_secret_basic' : 'client_secret_post',
});

const provider = new Provider(issuer, {
  clients: [
    ...Object.keys(groups).map(client),
    {
      client_id: 'mcp-app',
      application_type: 'native',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1/callback'],
      token_endpoint_auth_method: 'none',
    },
    {
      client_id: 'mcp-web',
      client_secret: 'mcp-web-secret',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1/callback'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id }) }),
  jwks,
  scopes: ['mcp'],
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (_ctx, _client, oneOf) => oneOf,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (_ctx, resource) => ({
        scope: 'mcp',
        audience: resource,
        accessTokenTTL: 300,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  extraTokenClaims: async (_ctx, token) => {
    // A user's token carries the user's groups; a client credentials token the client's.
    const found = token.accountId ? users[token.accountId] : groups[token.clientId];
    return found ? { groups: found } : undefined;
  },
});

provider.listen(port, '127.0.0.1', () => console.log(`listening ${issuer}`));

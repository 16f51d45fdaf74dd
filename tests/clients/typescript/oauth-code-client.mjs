// Authorization code + PKCE with the official TypeScript SDK client against McpGate (docs/oauth.md), headless: the
// client starts from nothing but the gate's URL, meets the 401, reads the Protected Resource Metadata, discovers the
// IdP and sends the user to its authorize endpoint (redirectToAuthorization). Where a browser would show the IdP's
// pages, this script submits them over plain HTTP: oidc-provider's login form (LOGIN, any password) and its consent
// form, carrying the IdP's cookies, until the IdP redirects to the redirect URI with the code. The SDK then exchanges
// the code (with its PKCE verifier and the route as `resource`) and the client calls through the gate.
// Started by McpGate.Gateway.Tests (OAuthAuthorizationCodeTests). Env: GATE_URL, CLIENT_ID, REDIRECT_URI, LOGIN.
// Prints one JSON line: { tools, read, delete }, each call "ok" or "refused: <the gate's error>". Any failure exits 1 with what the IdP last answered.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";

const { GATE_URL, CLIENT_ID, REDIRECT_URI, LOGIN } = process.env;
const STEP_TIMEOUT_MS = 10_000;

// The user at the IdP: follows redirects and submits the forms a browser would show, until the redirect URI.
async function signIn(authorizationUrl) {
  const cookies = new Map();
  const trail = [];
  let url = authorizationUrl.href;
  let init = { method: "GET" };
  for (let step = 0; step < 12; step++) {
    const response = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...init.headers, cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
      signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const at = pair.indexOf("=");
      cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1));
    }
    trail.push(`${init.method} ${new URL(url).pathname} → ${response.status}`);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, url);
      if (next.href.startsWith(REDIRECT_URI)) {
        const error = next.searchParams.get("error");
        if (error) throw new Error(`the IdP refused: ${error} ${next.searchParams.get("error_description") ?? ""}`);
        return next.searchParams.get("code");
      }
      url = next.href;
      init = { method: "GET" };
      continue;
    }
    const html = await response.text();
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
    if (response.status !== 200 || !form) {
      throw new Error(`the IdP's pages did not lead to the redirect URI: ${trail.join(", ")}\n${html.slice(0, 2000)}`);
    }
    const fields = new URLSearchParams();
    for (const [, name, value] of form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
      fields.set(name, value);
    }
    if (fields.get("prompt") === "login") {
      fields.set("login", LOGIN);
      fields.set("password", "any");
    }
    url = new URL(form[1].replaceAll("&amp;", "&"), url).href;
    init = { method: "POST", body: fields.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } };
  }
  throw new Error(`too many steps at the IdP: ${trail.join(", ")}`);
}

let codeVerifier;
let tokens;
let authorizationCode;
const authProvider = {
  redirectUrl: REDIRECT_URI,
  clientMetadata: { client_name: "mcpgate-ts-code", redirect_uris: [REDIRECT_URI], grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "none" },
  // Registered at the IdP beforehand (no dynamic registration), as an organisation's IdP usually has it.
  clientInformation: () => ({ client_id: CLIENT_ID }),
  tokens: () => tokens,
  saveTokens: (t) => { tokens = t; },
  saveCodeVerifier: (v) => { codeVerifier = v; },
  codeVerifier: () => codeVerifier,
  redirectToAuthorization: async (authorizationUrl) => {
    if (!authorizationUrl.searchParams.get("code_challenge")) throw new Error("the SDK must send a PKCE code_challenge");
    authorizationCode = await signIn(authorizationUrl);
  },
};

const gate = new URL(GATE_URL);
const firstTransport = new StreamableHTTPClientTransport(gate, { authProvider });
try {
  await new Client({ name: "mcpgate-ts-code", version: "1.0.0" }).connect(firstTransport);
  throw new Error("the gate let an unauthenticated client in");
} catch (error) {
  if (!(error instanceof UnauthorizedError) || !authorizationCode) throw error;
}
// Back from the IdP with the code, as an app's redirect handler is: the SDK exchanges it, then connects again.
await firstTransport.finishAuth(authorizationCode);
const client = new Client({ name: "mcpgate-ts-code", version: "1.0.0" });
await client.connect(new StreamableHTTPClientTransport(gate, { authProvider }));
const tools = (await client.listTools()).tools.map((t) => t.name);
// A refused call is a JSON-RPC error from the gate: report its message instead of failing the script.
const call = async (name, path) => {
  try {
    const result = await client.callTool({ name, arguments: { path } });
    return result.isError ? `tool error: ${JSON.stringify(result.content)}` : "ok";
  } catch (error) {
    return `refused: ${error.message}`;
  }
};
const read = await call("read_file", "/public/notes.txt");
const deleted = await call("delete_file", "code.txt");
console.log(JSON.stringify({ tools, read, delete: deleted }));
await client.close();

// The official TypeScript SDK client's own OAuth support against McpGate (docs/oauth.md): it starts from nothing but
// the gate's URL, meets the 401, reads the Protected Resource Metadata it points at, discovers the IdP, gets a token
// by the client credentials grant (ClientCredentialsProvider, resource = the route) and calls a tool.
// Started by McpGate.Gateway.Tests (OAuthTypeScriptClientTests). Env: GATE_URL, CLIENT_ID, CLIENT_SECRET.
// Prints one JSON line: { tools, deleteIsError }.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ClientCredentialsProvider } from "@modelcontextprotocol/sdk/client/auth-extensions.js";

const authProvider = new ClientCredentialsProvider({
  clientId: process.env.CLIENT_ID,
  clientSecret: process.env.CLIENT_SECRET,
  scope: "mcp",
});
const transport = new StreamableHTTPClientTransport(new URL(process.env.GATE_URL), { authProvider });
const client = new Client({ name: "mcpgate-ts-oauth", version: "1.0.0" });
await client.connect(transport);
const tools = (await client.listTools()).tools.map((t) => t.name);
const deleted = await client.callTool({ name: "delete_file", arguments: { path: "ts-oauth.txt" } });
console.log(JSON.stringify({ tools, deleteIsError: deleted.isError ?? false }));
await client.close();

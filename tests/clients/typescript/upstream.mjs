// A real MCP server built the way the official TypeScript SDK recommends: createMcpExpressApp() (Express +
// body-parser's express.json()) and a stateless StreamableHTTPServerTransport per request. McpGate's "one reading"
// tests put it behind the gate and compare what the gate decided with what this server read and ran.
// Env: RESPONSE=sse|json (default sse); COMPRESS=1 (the `compression` middleware, honouring Accept-Encoding) or
// COMPRESS=force (gzip whatever the request accepts); CACHE_SCOPE=public (tools/list results carry that cache hint).
// Prints "listening <url>" once ready. GET /__log returns (and clears) what ran: [{kind, name|uri, id, traceparent}]
// (traceparent: the W3C header the request that ran it carried, or null).
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { createMcpExpressApp } from "@modelcontextprotocol/sdk/server/express.js";
import compression from "compression";
import { z } from "zod";

const ran = [];
const record = (entry, extra) => ran.push({ ...entry, id: extra.requestId, traceparent: extra.requestInfo?.headers?.traceparent ?? null });

function buildServer() {
  const server = new McpServer({ name: "ts-peer", version: "1.0.0" });
  const text = (t) => ({ content: [{ type: "text", text: t }] });
  server.registerTool("read_file", { description: "Reads a file.", inputSchema: { path: z.string() }, annotations: { readOnlyHint: true } },
    async ({ path }, extra) => { record({ kind: "tool", name: "read_file" }, extra); return text(`contents of ${path}`); });
  server.registerTool("list_files", { description: "Lists files.", inputSchema: {}, annotations: { readOnlyHint: true } },
    async (_, extra) => { record({ kind: "tool", name: "list_files" }, extra); return text("a.txt"); });
  server.registerTool("delete_file", { description: "Deletes a file.", inputSchema: { path: z.string() }, annotations: { destructiveHint: true } },
    async ({ path }, extra) => { record({ kind: "tool", name: "delete_file" }, extra); return text(`deleted ${path}`); });
  server.registerResource("readme", "file:///public/readme.txt", { mimeType: "text/plain" },
    async (uri, extra) => { record({ kind: "resource", uri: uri.href }, extra); return { contents: [{ uri: uri.href, text: "public" }] }; });
  server.registerResource("keys", "file:///secret/keys.txt", { mimeType: "text/plain" },
    async (uri, extra) => { record({ kind: "resource", uri: uri.href }, extra); return { contents: [{ uri: uri.href, text: "SECRET" }] }; });
  server.registerResource("files", new ResourceTemplate("file:///{+path}", { list: undefined }), { mimeType: "text/plain" },
    async (uri, _vars, extra) => { record({ kind: "resource", uri: uri.href }, extra); return { contents: [{ uri: uri.href, text: `file ${uri.href}` }] }; });
  server.registerPrompt("greet", { description: "Says hello." },
    async (extra) => { record({ kind: "prompt", name: "greet" }, extra); return { messages: [{ role: "user", content: { type: "text", text: "hi" } }] }; });
  server.registerPrompt("secret_prompt", { description: "Reveals secrets." },
    async (extra) => { record({ kind: "prompt", name: "secret_prompt" }, extra); return { messages: [{ role: "user", content: { type: "text", text: "s" } }] }; });
  if (process.env.CACHE_SCOPE) {
    // A server that marks its lists shareable (a 2026-07-28 cache hint): the gate's filtered list must not be.
    const handlers = server.server._requestHandlers;
    const list = handlers.get("tools/list");
    handlers.set("tools/list", async (...args) => ({ ...(await list(...args)), cacheScope: process.env.CACHE_SCOPE, ttlMs: 60000 }));
  }
  return server;
}

const app = createMcpExpressApp();
if (process.env.COMPRESS === "force") {
  // An upstream that compresses whatever it is asked for, event streams too (the middleware would otherwise honour
  // the SDK's "Cache-Control: no-transform" on them).
  app.use((req, res, next) => {
    req.headers["accept-encoding"] = "gzip";
    const getHeader = res.getHeader.bind(res);
    res.getHeader = (name) => (name.toLowerCase() === "cache-control" ? undefined : getHeader(name));
    next();
  });
}
if (process.env.COMPRESS === "1" || process.env.COMPRESS === "force") {
  app.use(compression({ threshold: 0, filter: () => true }));
}

app.get("/__log", (_req, res) => { res.json(ran.splice(0)); });
app.post("/mcp", async (req, res) => {
  const server = buildServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: process.env.RESPONSE === "json" });
  res.on("close", () => { transport.close(); server.close(); });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});

const listener = app.listen(0, "127.0.0.1", () => console.log(`listening http://127.0.0.1:${listener.address().port}/mcp`));

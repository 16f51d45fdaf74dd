// A stateful MCP server built with the official TypeScript SDK the way its README shows sessions: one Express app
// (createMcpExpressApp), and per session a StreamableHTTPServerTransport with a sessionIdGenerator, kept by its id.
// McpGate's replica tests put it behind three gates: every request of a session, on whichever replica it lands, must
// reach this server's one session. Listens on a free 127.0.0.1 port; prints "listening <url>" once ready.
// GET /__log returns (and clears) what ran: [{session, tool}] with the SDK's session id of each call.
import { randomUUID } from "node:crypto";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { createMcpExpressApp } from "@modelcontextprotocol/sdk/server/express.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

const ran = [];
const transports = new Map();

function buildServer() {
  const server = new McpServer({ name: "ts-stateful-peer", version: "1.0.0" });
  const text = (t) => ({ content: [{ type: "text", text: t }] });
  server.registerTool("read_file", { description: "Reads a file.", inputSchema: { path: z.string() }, annotations: { readOnlyHint: true } },
    async ({ path }, extra) => { ran.push({ session: extra.sessionId, tool: "read_file" }); return text(`contents of ${path}`); });
  server.registerTool("list_files", { description: "Lists files.", inputSchema: {}, annotations: { readOnlyHint: true } },
    async (_, extra) => { ran.push({ session: extra.sessionId, tool: "list_files" }); return text("a.txt"); });
  return server;
}

// What the SDK's examples answer for a request it cannot place, with the status the MCP spec gives an unknown session.
const refuse = (res, status, message) => res.status(status).json({ jsonrpc: "2.0", error: { code: status === 404 ? -32001 : -32000, message }, id: null });

const app = createMcpExpressApp();
app.get("/__log", (_req, res) => { res.json(ran.splice(0)); });
app.post("/mcp", async (req, res) => {
  const id = req.headers["mcp-session-id"];
  let transport = id === undefined ? undefined : transports.get(id);
  if (transport === undefined) {
    if (id !== undefined) return refuse(res, 404, "Session not found");
    if (!isInitializeRequest(req.body)) return refuse(res, 400, "Bad Request: no session id");
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sessionId) => { transports.set(sessionId, transport); },
    });
    transport.onclose = () => { if (transport.sessionId) transports.delete(transport.sessionId); };
    await buildServer().connect(transport);
  }
  await transport.handleRequest(req, res, req.body);
});
const bySession = async (req, res) => {
  const transport = transports.get(req.headers["mcp-session-id"]);
  if (transport === undefined) return refuse(res, 404, "Session not found");
  await transport.handleRequest(req, res);
};
app.get("/mcp", bySession);
app.delete("/mcp", bySession);

const listener = app.listen(0, "127.0.0.1", () => console.log(`listening http://127.0.0.1:${listener.address().port}/mcp`));

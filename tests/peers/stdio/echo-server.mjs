// A stdio MCP server with no dependencies that records what it receives, for the stdio bridge's differential test:
// each stdin line is appended to the log file (argv[2]) as {"raw": base64 of the line's bytes, "read": what
// JSON.parse made of it}, so a test sees both the bytes the gate sent and how a JavaScript server reads them.
import { appendFileSync } from "node:fs";

const log = process.argv[2];
const tools = [
  { name: "read_file", description: "read", inputSchema: { type: "object" }, annotations: { readOnlyHint: true } },
  { name: "delete_file", description: "delete", inputSchema: { type: "object" }, annotations: { destructiveHint: true } },
  // Never answers: a call that stays in flight until it is cancelled (the cancellation tests).
  { name: "wait", description: "wait", inputSchema: { type: "object" }, annotations: { readOnlyHint: true } },
  // ask: sends the client an elicitation/create with id "q1" and answers once withdraw has withdrawn it, naming it
  // "q\u0031": the same JSON string, spelled another way.
  { name: "ask", description: "ask", inputSchema: { type: "object" }, annotations: { readOnlyHint: true } },
  { name: "withdraw", description: "withdraw", inputSchema: { type: "object" }, annotations: { readOnlyHint: true } },
];
let asking;
const send = (message) => process.stdout.write(JSON.stringify(message) + "\n");

function reading(line) {
  try {
    const message = JSON.parse(line.toString("utf8"));
    const params = message?.params ?? {};
    const args = params.arguments;
    return {
      method: message.method ?? null,
      id: message.id ?? null,
      name: typeof params.name === "string" ? params.name : null,
      uri: typeof params.uri === "string" ? params.uri : null,
      argKeys: args !== null && typeof args === "object" ? Object.keys(args) : null,
      progressToken: params._meta?.progressToken ?? null,
      message,
    };
  } catch (error) {
    return { error: String(error) };
  }
}

function answer(read) {
  const { method, id } = read;
  if (read.error || id === null || id === undefined) return;
  switch (method) {
    case "initialize":
      return send({ jsonrpc: "2.0", id, result: {
        protocolVersion: read.message.params.protocolVersion,
        capabilities: { tools: {}, resources: {}, prompts: {} },
        serverInfo: { name: "echo-server", version: "1.0.0" },
      } });
    case "tools/list":
      return send({ jsonrpc: "2.0", id, result: { tools } });
    case "resources/list":
      return send({ jsonrpc: "2.0", id, result: { resources: [] } });
    case "prompts/list":
      return send({ jsonrpc: "2.0", id, result: { prompts: [] } });
    case "tools/call":
      if (read.name === "wait") return;
      if (read.name === "ask") {
        asking = id;
        return process.stdout.write('{"jsonrpc":"2.0","id":"q1","method":"elicitation/create","params":{"message":"which?","requestedSchema":{"type":"object","properties":{}}}}\n');
      }
      if (read.name === "withdraw") {
        process.stdout.write('{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"q\\u0031","reason":"withdrawn"}}\n');
        send({ jsonrpc: "2.0", id: asking, result: { content: [{ type: "text", text: "asked" }] } });
        return send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "withdrawn" }] } });
      }
      return send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: `ran ${read.name}` }] } });
    case "resources/read":
      return send({ jsonrpc: "2.0", id, result: { contents: [{ uri: read.uri, text: "echo" }] } });
    case "prompts/get":
      return send({ jsonrpc: "2.0", id, result: { messages: [] } });
    case "ping":
      return send({ jsonrpc: "2.0", id, result: {} });
    default:
      return send({ jsonrpc: "2.0", id, error: { code: -32601, message: "Method not found" } });
  }
}

let pending = Buffer.alloc(0);
process.stdin.on("data", (chunk) => {
  pending = Buffer.concat([pending, chunk]);
  let end;
  while ((end = pending.indexOf(0x0a)) >= 0) {
    const line = pending.subarray(0, end);
    pending = pending.subarray(end + 1);
    const read = reading(line);
    const { message, ...logged } = read;
    appendFileSync(log, JSON.stringify({ raw: line.toString("base64"), read: logged }) + "\n");
    answer(read);
  }
});

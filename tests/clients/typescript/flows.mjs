// Drives McpGate with the official TypeScript SDK client (the client Claude Desktop, Cursor and the Inspector use).
// Started by McpGate.Gateway.Tests (TypeScriptClientTests) against a real gate and upstream on loopback.
// Env: GATE_URL, READER_TOKEN, DEV_TOKEN, EXPECT_READER_TOOLS (comma list), EXPECT_ALL_TOOLS (comma list).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpError, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const url = new URL(process.env.GATE_URL);
const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); console.log(`${ok ? "ok  " : "FAIL"} ${what}`); };
const sorted = (xs) => [...xs].sort().join(",");

async function connect(token, capabilities = {}) {
  const client = new Client({ name: "mcpgate-ts-flows", version: "1.0.0" }, { capabilities });
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  await client.connect(transport);
  return { client, transport };
}

try {
  const reader = await connect(process.env.READER_TOKEN);
  const readerTools = (await reader.client.listTools()).tools.map((t) => t.name);
  check(sorted(readerTools) === sorted(process.env.EXPECT_READER_TOOLS.split(",")), `reader sees exactly ${process.env.EXPECT_READER_TOOLS} (saw ${readerTools})`);

  const read = await reader.client.callTool({ name: "read_file", arguments: { path: "/public/notes.txt" } });
  check(!read.isError && JSON.stringify(read.content).includes("remember the milk"), "reader's read_file returns the upstream's result");

  try {
    await reader.client.callTool({ name: "delete_file", arguments: { path: "notes.txt" } });
    check(false, "reader's delete_file is denied");
  } catch (e) {
    check(e instanceof McpError && e.code === -32003 && typeof e.data?.decision_id === "string" && e.data?.tool === "delete_file",
      `reader's delete_file is denied with -32003 and a decision_id (got ${e?.code} ${e?.message})`);
  }

  const afterDenial = await reader.client.listTools();
  check(afterDenial.tools.length === readerTools.length, "the session keeps working after a denial");
  await reader.transport.terminateSession().catch(() => {});
  await reader.client.close();

  const dev = await connect(process.env.DEV_TOKEN, { elicitation: {} });
  dev.client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "accept", content: { answer: "teal" } }));
  const devTools = (await dev.client.listTools()).tools.map((t) => t.name);
  check(sorted(devTools) === sorted(process.env.EXPECT_ALL_TOOLS.split(",")), "dev sees every tool");
  const asked = await dev.client.callTool({ name: "ask_user", arguments: { question: "colour?" } });
  check(JSON.stringify(asked.content).includes("teal"), "elicitation from the upstream round-trips through the gate");
  await dev.transport.terminateSession().catch(() => {});
  await dev.client.close();
} catch (e) {
  failures.push(`unexpected error: ${e?.stack ?? e}`);
  console.log(`FAIL unexpected error: ${e?.stack ?? e}`);
}

console.log(`${failures.length === 0 ? "all flows passed" : `${failures.length} flow(s) failed`}`);
process.exit(failures.length === 0 ? 0 : 1);

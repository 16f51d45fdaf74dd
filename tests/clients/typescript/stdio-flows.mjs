// The official TypeScript SDK client through McpGate to a stdio upstream (@modelcontextprotocol/server-filesystem
// started by the gate). Started by McpGate.Gateway.Tests (StdioFilesystemTests) against a real gate on loopback.
// Env: GATE_URL, READER_TOKEN, READ_PATH (a file in the sandbox), READ_TEXT (its content), WRITE_PATH (must stay absent).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";

const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); console.log(`${ok ? "ok  " : "FAIL"} ${what}`); };

try {
  const client = new Client({ name: "mcpgate-ts-stdio-flows", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(process.env.GATE_URL),
    { requestInit: { headers: { Authorization: `Bearer ${process.env.READER_TOKEN}` } } });
  await client.connect(transport);

  const tools = (await client.listTools()).tools.map((t) => t.name);
  check(tools.includes("read_text_file") && !tools.includes("write_file") && !tools.includes("edit_file"),
    `reader sees read_text_file but not write_file or edit_file (saw ${tools})`);

  const read = await client.callTool({ name: "read_text_file", arguments: { path: process.env.READ_PATH } });
  check(!read.isError && JSON.stringify(read.content).includes(process.env.READ_TEXT), "reader's read_text_file returns the file");

  try {
    await client.callTool({ name: "write_file", arguments: { path: process.env.WRITE_PATH, content: "x" } });
    check(false, "reader's write_file is denied");
  } catch (e) {
    check(e instanceof McpError && e.code === -32003 && e.data?.tool === "write_file",
      `reader's write_file is denied with -32003 (got ${e?.code} ${e?.message})`);
  }

  await transport.terminateSession().catch(() => {});
  await client.close();
} catch (e) {
  failures.push(`unexpected error: ${e?.stack ?? e}`);
  console.log(`FAIL unexpected error: ${e?.stack ?? e}`);
}

console.log(`${failures.length === 0 ? "all flows passed" : `${failures.length} flow(s) failed`}`);
process.exit(failures.length === 0 ? 0 : 1);

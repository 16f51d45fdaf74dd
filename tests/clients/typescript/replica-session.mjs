// One session of the official TypeScript SDK client through McpGate's replicas behind a load balancer
// (McpGate.Gateway.Tests, Replicas/TypeScriptClientReplicasTests): initialize, then CALLS rounds of tools/list and
// tools/call read_file, each request free to land on another replica. The session is left open (no DELETE) for the
// test to present its id to every replica. Env: GATE_URL, TOKEN, CALLS.
// Prints "session <Mcp-Session-Id>" and "tools <names>", then "done" and exits 0, or the failure and exits 1.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const client = new Client({ name: "mcpgate-ts-replicas", version: "1.0.0" });
const transport = new StreamableHTTPClientTransport(new URL(process.env.GATE_URL), {
  requestInit: { headers: { Authorization: `Bearer ${process.env.TOKEN}` } },
});

try {
  await client.connect(transport);
  console.log(`session ${transport.sessionId}`);
  for (let i = 0; i < Number(process.env.CALLS); i++) {
    const tools = (await client.listTools()).tools.map((t) => t.name).sort();
    if (i === 0) console.log(`tools ${tools.join(",")}`);
    const read = await client.callTool({ name: "read_file", arguments: { path: `/public/${i}.txt` } });
    if (read.isError || !JSON.stringify(read.content).includes(`contents of /public/${i}.txt`)) {
      throw new Error(`read_file ${i} returned ${JSON.stringify(read)}`);
    }
  }
  await client.close();
  console.log("done");
} catch (e) {
  console.log(`FAIL ${e?.stack ?? e}`);
  process.exit(1);
}

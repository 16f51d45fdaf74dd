// A tiny stdio MCP server with no dependencies, for the gate's lifecycle tests: it prints a line that is not JSON-RPC
// at start (the gate must drop it), writes to stderr, and has tools that exit mid-call, report the environment and
// the process ids (its own, its parent's, its grandchild's), or start a grandchild process.
// `--hang-initialize FILE`: starts a grandchild at once, appends {"pid", "grandchild"} to FILE, never answers initialize.
// The `slow` tool with message "hold:FILE" writes FILE.held, then answers "released" once FILE exists, or "stdin closed
// first" if its client closes stdin before that (the gate stopped it mid-call).
import { createInterface } from "node:readline";
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, writeFileSync } from "node:fs";

process.stdout.write("this line is not JSON-RPC\n");
process.stderr.write("scripted-server: started\n");

const tools = ["echo", "crash", "env", "pid", "spawn", "slow"].map((name) => ({
  name,
  description: `scripted ${name}`,
  inputSchema: { type: "object", properties: { message: { type: "string" } } },
  annotations: { readOnlyHint: true },
}));

const send = (message) => process.stdout.write(JSON.stringify(message) + "\n");
const text = (id, value) => send({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: value }] } });
let grandchild;
let stdinOpen = true;

const hang = process.argv.indexOf("--hang-initialize");
if (hang > 0) {
  grandchild = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  appendFileSync(process.argv[hang + 1], JSON.stringify({ pid: process.pid, grandchild: grandchild.pid }) + "\n");
}

function hold(id, file) {
  writeFileSync(file + ".held", "");
  const poll = setInterval(() => {
    if (!stdinOpen || existsSync(file)) {
      clearInterval(poll);
      text(id, stdinOpen ? "released" : "stdin closed first");
    }
  }, 20);
}

const input = createInterface({ input: process.stdin });
input.on("close", () => { stdinOpen = false; });
input.on("line", (line) => {
  const message = JSON.parse(line);
  if (message.id === undefined) return;
  switch (message.method) {
    case "initialize":
      if (hang > 0) return;
      return send({ jsonrpc: "2.0", id: message.id, result: {
        protocolVersion: message.params.protocolVersion,
        capabilities: { tools: { listChanged: true } },
        serverInfo: { name: "scripted-server", version: "1.0.0" },
      } });
    case "tools/list":
      return send({ jsonrpc: "2.0", id: message.id, result: { tools } });
    case "tools/call": {
      const name = message.params.name;
      const args = message.params.arguments ?? {};
      if (name === "echo") return text(message.id, String(args.message ?? ""));
      if (name === "crash") return process.exit(3);
      if (name === "env") return text(message.id, JSON.stringify(process.env));
      if (name === "pid") return text(message.id, JSON.stringify({ pid: process.pid, ppid: process.ppid, grandchild: grandchild?.pid ?? null }));
      if (name === "spawn") {
        grandchild = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
        return text(message.id, String(grandchild.pid));
      }
      if (name === "slow" && String(args.message ?? "").startsWith("hold:")) return hold(message.id, args.message.slice(5));
      if (name === "slow") return setTimeout(() => text(message.id, "slow done"), 200);
      return send({ jsonrpc: "2.0", id: message.id, error: { code: -32602, message: `unknown tool ${name}` } });
    }
    case "ping":
      return send({ jsonrpc: "2.0", id: message.id, result: {} });
    default:
      return send({ jsonrpc: "2.0", id: message.id, error: { code: -32601, message: "Method not found" } });
  }
});

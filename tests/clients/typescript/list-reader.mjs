// Reads list responses the way the official TypeScript SDK client does, with the SDK's own parts: the response body
// (JSON, or an event stream through TextDecoderStream and eventsource-parser, events of type "message" only), each
// message through JSONRPCMessageSchema, the response matched to the request by Number(id) as Protocol._onresponse
// does, its result through ListToolsResultSchema. Prints, for each case, the tool names a client would show.
// Usage: node list-reader.mjs CASES.json   (cases: [{ "mode": "json"|"sse", "body": base64, "requestId": n }])
import { readFileSync } from "node:fs";
import { EventSourceParserStream } from "eventsource-parser/stream";
import { JSONRPCMessageSchema, ListToolsResultSchema, isJSONRPCResultResponse } from "@modelcontextprotocol/sdk/types.js";

async function messagesOf(mode, bytes) {
  if (mode === "json") {
    const data = JSON.parse(new TextDecoder().decode(bytes));
    return (Array.isArray(data) ? data : [data]).map((m) => JSONRPCMessageSchema.parse(m));
  }

  const messages = [];
  const reader = new Blob([bytes]).stream().pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  for (;;) {
    const { value: event, done } = await reader.read();
    if (done) break;
    if (!event.data || (event.event && event.event !== "message")) continue;
    try { messages.push(JSONRPCMessageSchema.parse(JSON.parse(event.data))); } catch { /* the client reports it and reads on */ }
  }
  return messages;
}

const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
const results = [];
for (const c of cases) {
  try {
    const response = (await messagesOf(c.mode, Buffer.from(c.body, "base64")))
      .find((m) => isJSONRPCResultResponse(m) && Number(m.id) === c.requestId);
    results.push({ tools: response ? ListToolsResultSchema.parse(response.result).tools.map((t) => t.name) : null });
  } catch (error) {
    results.push({ tools: null, error: String(error).slice(0, 200) });
  }
}
console.log(JSON.stringify(results));

using System.Text;

namespace McpGate.Mcp.Tests.Lists;

/// <summary>Realistic tools/list responses of a given size.</summary>
internal static class ToolCatalogs
{
    public static byte[] ToolsListResponse(int count, int id)
    {
        var json = new StringBuilder("{\"result\":{\"tools\":[");
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }

            json.Append($$$"""
                {"name":"tool_{{{i}}}","title":"Tool {{{i}}}","description":"Does thing number {{{i}}} to the repository; use with care.",
                 "inputSchema":{"type":"object","properties":{"owner":{"type":"string","description":"Repository owner"},
                   "repo":{"type":"string","description":"Repository name"},"limit":{"type":"integer","minimum":1,"maximum":100}},
                   "required":["owner","repo"],"additionalProperties":false},
                 "annotations":{"readOnlyHint":{{{(i % 2 == 0 ? "true" : "false")}}},"destructiveHint":false,"openWorldHint":true}}
                """);
        }

        json.Append($"],\"nextCursor\":\"page-2\"}},\"jsonrpc\":\"2.0\",\"id\":{id}}}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }
}

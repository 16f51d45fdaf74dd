using System.ComponentModel;
using McpGate.SampleServer.Hosting;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGate.SampleServer.Databricks;

/// <summary>
/// A Databricks-like upstream. <c>execute_sql_read_only</c> is the classifier's showcase: its name says "execute",
/// its description says read-only.
/// </summary>
/// <remarks>Parameter names are the wire names (snake_case), as the real servers spell them.</remarks>
[McpServerToolType]
internal sealed class DatabricksTools
{
    private static readonly string[] s_columns = ["order_id", "customer", "amount_eur", "placed_at"];

    private static readonly object[][] s_rows =
    [
        [1001, "acme", 129.90, "2026-10-30T09:12:00Z"],
        [1002, "globex", 42.00, "2026-10-30T10:03:00Z"],
        [1003, "initech", 980.50, "2026-10-31T16:45:00Z"],
    ];

    private int _nextRun = 5000;

    [McpServerTool(Name = "execute_sql")]
    [Description("Executes a SQL statement")]
    public static CallToolResult ExecuteSql(
        [Description("The SQL statement")] string statement,
        [Description("SQL warehouse to run on")] string warehouse_id = "wh-shared")
    {
        var verb = statement.TrimStart().Split(' ', 2)[0].ToUpperInvariant();
        return verb == "SELECT"
            ? ResultSet(warehouse_id)
            : SampleJson.Ok(new { StatementId = $"st-{statement.Length:0000}", Status = "SUCCEEDED", Warehouse = warehouse_id, NumAffectedRows = 3 });
    }

    [McpServerTool(Name = "execute_sql_read_only")]
    [Description("Runs a read-only SQL query and returns the result set.")]
    public static CallToolResult ExecuteSqlReadOnly(
        [Description("The SELECT statement")] string statement,
        [Description("SQL warehouse to run on")] string warehouse_id = "wh-shared")
    {
        var verb = statement.TrimStart().Split(' ', 2)[0].ToUpperInvariant();
        return verb is "SELECT" or "WITH" or "SHOW" or "DESCRIBE"
            ? ResultSet(warehouse_id)
            : SampleJson.Error("Only read-only statements (SELECT, WITH, SHOW, DESCRIBE) are allowed");
    }

    [McpServerTool(Name = "list_warehouses", ReadOnly = true)]
    [Description("Lists the SQL warehouses of the workspace and their state.")]
    public static CallToolResult ListWarehouses() => SampleJson.Ok(new[]
    {
        new { Id = "wh-shared", Name = "Shared Serverless", State = "RUNNING", ClusterSize = "Small" },
        new { Id = "wh-etl", Name = "ETL", State = "STOPPED", ClusterSize = "Large" },
    });

    [McpServerTool(Name = "list_catalogs")]
    [Description("Lists the Unity Catalog catalogs visible to the caller.")]
    public static CallToolResult ListCatalogs() => SampleJson.Ok(new[]
    {
        new { Name = "main", Owner = "data-platform", Comment = "Default catalog" },
        new { Name = "sales", Owner = "sales-analytics", Comment = "Orders and customers" },
        new { Name = "system", Owner = "System user", Comment = "System tables" },
    });

    [McpServerTool(Name = "run_job")]
    [Description("Triggers a run of a Databricks job and returns the run id.")]
    public CallToolResult RunJob(
        [Description("Job id")] long job_id,
        [Description("Job parameters as key=value pairs")] string[]? parameters = null)
    {
        var runId = Interlocked.Increment(ref _nextRun);
        return SampleJson.Ok(new { RunId = runId, JobId = job_id, State = "PENDING", Parameters = parameters ?? [] });
    }

    private static CallToolResult ResultSet(string warehouse) => SampleJson.Ok(new
    {
        Status = "SUCCEEDED",
        Warehouse = warehouse,
        Manifest = new { Columns = s_columns },
        Result = new { RowCount = s_rows.Length, DataArray = s_rows },
    });
}

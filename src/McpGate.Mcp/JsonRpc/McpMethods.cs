using System.Text;

namespace McpGate.Mcp.JsonRpc;

/// <summary>
/// MCP method names (2024-11-05 … 2026-07-28). <see cref="JsonRpcInspector"/> hands out these very string
/// instances for known methods, so reference comparison works and parsing a known method allocates nothing.
/// </summary>
public static class McpMethods
{
    public const string Initialize = "initialize";
    public const string Ping = "ping";
    public const string ServerDiscover = "server/discover";
    public const string SubscriptionsListen = "subscriptions/listen";
    public const string LoggingSetLevel = "logging/setLevel";
    public const string CompletionComplete = "completion/complete";

    public const string ToolsList = "tools/list";
    public const string ToolsCall = "tools/call";

    public const string PromptsList = "prompts/list";
    public const string PromptsGet = "prompts/get";

    public const string ResourcesList = "resources/list";
    public const string ResourcesTemplatesList = "resources/templates/list";
    public const string ResourcesRead = "resources/read";
    public const string ResourcesSubscribe = "resources/subscribe";
    public const string ResourcesUnsubscribe = "resources/unsubscribe";

    public const string TasksGet = "tasks/get";
    public const string TasksResult = "tasks/result";
    public const string TasksList = "tasks/list";
    public const string TasksCancel = "tasks/cancel";

    public const string SamplingCreateMessage = "sampling/createMessage";
    public const string ElicitationCreate = "elicitation/create";
    public const string RootsList = "roots/list";

    public const string NotificationsInitialized = "notifications/initialized";
    public const string NotificationsCancelled = "notifications/cancelled";
    public const string NotificationsProgress = "notifications/progress";
    public const string NotificationsMessage = "notifications/message";
    public const string NotificationsToolsListChanged = "notifications/tools/list_changed";
    public const string NotificationsPromptsListChanged = "notifications/prompts/list_changed";
    public const string NotificationsResourcesListChanged = "notifications/resources/list_changed";
    public const string NotificationsResourcesUpdated = "notifications/resources/updated";
    public const string NotificationsRootsListChanged = "notifications/roots/list_changed";
    public const string NotificationsElicitationComplete = "notifications/elicitation/complete";
    public const string NotificationsTasksStatus = "notifications/tasks/status";

    private static readonly string[] s_all =
    [
        Initialize, Ping, ServerDiscover, SubscriptionsListen, LoggingSetLevel, CompletionComplete,
        ToolsList, ToolsCall, PromptsList, PromptsGet,
        ResourcesList, ResourcesTemplatesList, ResourcesRead, ResourcesSubscribe, ResourcesUnsubscribe,
        TasksGet, TasksResult, TasksList, TasksCancel,
        SamplingCreateMessage, ElicitationCreate, RootsList,
        NotificationsInitialized, NotificationsCancelled, NotificationsProgress, NotificationsMessage,
        NotificationsToolsListChanged, NotificationsPromptsListChanged, NotificationsResourcesListChanged,
        NotificationsResourcesUpdated, NotificationsRootsListChanged, NotificationsElicitationComplete,
        NotificationsTasksStatus,
    ];

    private static readonly byte[][] s_allUtf8 = BuildUtf8(s_all);

    /// <summary>Every method name above.</summary>
    public static IReadOnlyList<string> All => s_all;

    /// <summary>True for a method this gateway knows by name (the constants above).</summary>
    public static bool IsKnown(string method) => Array.IndexOf(s_all, method) >= 0;

    /// <summary>
    /// The constant for a known method given as (already unescaped) UTF-8, or a new string for an unknown one.
    /// </summary>
    public static string Intern(ReadOnlySpan<byte> utf8Method)
    {
        var table = s_allUtf8;
        for (var i = 0; i < table.Length; i++)
        {
            var candidate = table[i];
            if (candidate.Length == utf8Method.Length && utf8Method.SequenceEqual(candidate))
            {
                return s_all[i];
            }
        }

        return Encoding.UTF8.GetString(utf8Method);
    }

    private static byte[][] BuildUtf8(string[] names)
    {
        var result = new byte[names.Length][];
        for (var i = 0; i < names.Length; i++)
        {
            result[i] = Encoding.UTF8.GetBytes(names[i]);
        }

        return result;
    }
}

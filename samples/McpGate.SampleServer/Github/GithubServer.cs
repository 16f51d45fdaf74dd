using System.ComponentModel;
using McpGate.SampleServer.Hosting;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGate.SampleServer.Github;

/// <summary>A GitHub-like upstream: repositories, files, issues and pull requests of the fictional org "mcpgate".</summary>
/// <remarks>Parameter names are the wire names (snake_case), as the real servers spell them.</remarks>
[McpServerToolType]
internal sealed class GithubTools
{
    private readonly Lock _gate = new();
    private readonly List<Issue> _issues =
    [
        new(41, "mcpgate", "gate", "Audit log misses denied prompts", "open", ["bug", "audit"]),
        new(42, "mcpgate", "gate", "Support resource templates in ACL", "open", ["enhancement"]),
        new(43, "mcpgate", "gate", "Crash when upstream returns an empty SSE event", "closed", ["bug"]),
        new(7, "mcpgate", "cli", "`acl check --all-tools` table is misaligned", "open", ["cli"]),
    ];

    private readonly List<PullRequest> _pulls =
    [
        new(44, "mcpgate", "gate", "Filter resources/templates/list", "feature/templates", "main", "open"),
    ];

    private readonly HashSet<string> _branches = ["mcpgate/gate:main", "mcpgate/gate:feature/templates", "mcpgate/gate:old-spike"];

    [McpServerTool(Name = "list_repos", ReadOnly = true)]
    [Description("Lists repositories for a user or organization.")]
    public CallToolResult ListRepos(
        [Description("User or organization login")] string owner,
        [Description("Maximum number of repositories to return")] int limit = 30)
    {
        var repos = new[]
        {
            new { Name = "gate", FullName = $"{owner}/gate", Private = false, DefaultBranch = "main", Stars = 128 },
            new { Name = "cli", FullName = $"{owner}/cli", Private = false, DefaultBranch = "main", Stars = 31 },
            new { Name = "infra", FullName = $"{owner}/infra", Private = true, DefaultBranch = "main", Stars = 2 },
        };
        return SampleJson.Ok(repos.Take(Math.Max(0, limit)));
    }

    [McpServerTool(Name = "get_file_contents", ReadOnly = true)]
    [Description("Retrieves the contents of a file or directory in a repository.")]
    public CallToolResult GetFileContents(
        [Description("Repository owner")] string owner,
        [Description("Repository name")] string repo,
        [Description("Path of the file or directory")] string path,
        [Description("Branch, tag or commit; the default branch when omitted")] string? @ref = null)
    {
        var content = path.TrimStart('/') switch
        {
            "README.md" => $"# {repo}\n\nPart of the {owner} project.\n",
            "" => "README.md\nsrc/\ntests/\n",
            _ => null,
        };
        return content is null
            ? SampleJson.Error($"Not Found: {owner}/{repo}/{path}")
            : SampleJson.Ok(new { Path = path, Ref = @ref ?? "main", Size = content.Length, Content = content });
    }

    [McpServerTool(Name = "search_issues")]
    [Description("Searches issues and pull requests across repositories using GitHub search syntax.")]
    public CallToolResult SearchIssues(
        [Description("Search query, e.g. 'is:open label:bug'")] string query,
        [Description("Maximum number of results")] int limit = 10)
    {
        lock (_gate)
        {
            var terms = query.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var hits = _issues.Where(i => terms.All(t => Matches(i, t))).Take(Math.Max(0, limit)).ToList();
            return SampleJson.Ok(new { TotalCount = hits.Count, Items = hits });
        }
    }

    [McpServerTool(Name = "create_issue")]
    [Description("Creates a new issue in a repository.")]
    public CallToolResult CreateIssue(
        [Description("Repository owner")] string owner,
        [Description("Repository name")] string repo,
        [Description("Issue title")] string title,
        [Description("Issue body (Markdown)")] string? body = null)
    {
        lock (_gate)
        {
            var issue = new Issue(NextNumber(), owner, repo, title, "open", []);
            _issues.Add(issue);
            return SampleJson.Ok(new { issue.Number, HtmlUrl = $"https://github.example/{owner}/{repo}/issues/{issue.Number}", BodyLength = body?.Length ?? 0 });
        }
    }

    [McpServerTool(Name = "create_pull_request")]
    [Description("Opens a new pull request from a head branch into a base branch.")]
    public CallToolResult CreatePullRequest(
        [Description("Repository owner")] string owner,
        [Description("Repository name")] string repo,
        [Description("Pull request title")] string title,
        [Description("Branch with the changes")] string head,
        [Description("Branch to merge into")] string @base = "main",
        [Description("Pull request description")] string? body = null)
    {
        lock (_gate)
        {
            var pull = new PullRequest(NextNumber(), owner, repo, title, head, @base, "open");
            _pulls.Add(pull);
            return SampleJson.Ok(new { pull.Number, pull.State, HtmlUrl = $"https://github.example/{owner}/{repo}/pull/{pull.Number}", BodyLength = body?.Length ?? 0 });
        }
    }

    [McpServerTool(Name = "merge_pull_request")]
    [Description("Merges a pull request into its base branch.")]
    public CallToolResult MergePullRequest(
        [Description("Repository owner")] string owner,
        [Description("Repository name")] string repo,
        [Description("Pull request number")] int pull_number,
        [Description("merge, squash or rebase")] string merge_method = "merge")
    {
        lock (_gate)
        {
            var index = _pulls.FindIndex(p => p.Owner == owner && p.Repo == repo && p.Number == pull_number);
            if (index < 0)
            {
                return SampleJson.Error($"Pull request #{pull_number} not found in {owner}/{repo}");
            }

            _pulls[index] = _pulls[index] with { State = "merged" };
            return SampleJson.Ok(new { Merged = true, Sha = $"9f{pull_number:x4}c0ffee", MergeMethod = merge_method });
        }
    }

    [McpServerTool(Name = "delete_branch", ReadOnly = false, Destructive = true)]
    [Description("Deletes a branch from a repository.")]
    public CallToolResult DeleteBranch(
        [Description("Repository owner")] string owner,
        [Description("Repository name")] string repo,
        [Description("Branch to delete")] string branch)
    {
        lock (_gate)
        {
            return _branches.Remove($"{owner}/{repo}:{branch}")
                ? SampleJson.Ok(new { Deleted = $"{owner}/{repo}:{branch}" })
                : SampleJson.Error($"Branch '{branch}' not found in {owner}/{repo}");
        }
    }

    private int NextNumber() => Math.Max(_issues.Max(i => i.Number), _pulls.Max(p => p.Number)) + 1;

    private static bool Matches(Issue issue, string term) => term switch
    {
        _ when term.StartsWith("is:", StringComparison.Ordinal) => issue.State == term[3..],
        _ when term.StartsWith("label:", StringComparison.Ordinal) => issue.Labels.Contains(term[6..]),
        _ when term.StartsWith("repo:", StringComparison.Ordinal) => $"{issue.Owner}/{issue.Repo}" == term[5..],
        _ => issue.Title.Contains(term, StringComparison.OrdinalIgnoreCase),
    };

    internal sealed record Issue(int Number, string Owner, string Repo, string Title, string State, IReadOnlyList<string> Labels);

    internal sealed record PullRequest(int Number, string Owner, string Repo, string Title, string Head, string Base, string State);
}

[McpServerResourceType]
internal sealed class GithubResources
{
    [McpServerResource(UriTemplate = "repo://mcpgate/README.md", Name = "mcpgate_readme", MimeType = "text/markdown")]
    [Description("README of the mcpgate repository.")]
    public static string Readme() =>
        "# mcpgate\n\nA gate in front of MCP servers that decides, per call, which tool a caller may use.\n";
}

[McpServerPromptType]
internal sealed class GithubPrompts
{
    [McpServerPrompt(Name = "summarize_issue")]
    [Description("Summarizes an issue and suggests next steps.")]
    public static string SummarizeIssue([Description("Issue number")] string issue_number) =>
        $"Read issue #{issue_number} in mcpgate/gate with get_file_contents and search_issues, " +
        "then summarize the problem in three sentences and suggest the next step.";
}

using McpGate.Policy.Globbing;

namespace McpGate.Policy.Tests.Globbing;

public sealed class GlobTests
{
    [Theory]
    [InlineData("a*b*c", "abc", true)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "ac", false)]
    [InlineData("a*b*c", "abcX", false)]
    [InlineData("a*b*c", "Xabc", false)]
    [InlineData("*admin*", "admin", true)]
    [InlineData("*admin*", "superadmin_tools", true)]
    [InlineData("*admin*", "adm", false)]
    [InlineData("sentry__*", "sentry__", true)]
    [InlineData("sentry__*", "sentry__list_issues", true)]
    [InlineData("sentry__*", "sentry_list", false)]
    [InlineData("a*a", "a", false)]
    [InlineData("a*a", "aa", true)]
    [InlineData("ab*ba", "aba", false)]
    [InlineData("*_read_only", "execute_sql_read_only", true)]
    public void Glob_WildcardPattern_MatchesAnchoredAtBothEnds(string pattern, string value, bool expected)
    {
        new Glob(pattern).IsMatch(value).Should().Be(expected);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("**")]
    [InlineData("***")]
    public void Glob_OnlyStars_MatchesEverythingIncludingEmpty(string pattern)
    {
        var glob = new Glob(pattern);

        glob.MatchesEverything.Should().BeTrue();
        glob.IsMatch(string.Empty).Should().BeTrue();
        glob.IsMatch("anything/at all").Should().BeTrue();
    }

    [Theory]
    [InlineData("list_repos", "list_repos", true)]
    [InlineData("list_repos", "list_repos2", false)]
    [InlineData("list_repos", "xlist_repos", false)]
    [InlineData("list_repos", "List_Repos", false)]
    [InlineData("List_*", "list_repos", false)]
    public void Glob_IsCaseSensitiveAndExactWithoutStar(string pattern, string value, bool expected)
    {
        new Glob(pattern).IsMatch(value).Should().Be(expected);
    }

    [Theory]
    [InlineData("get_?ile", "get_file")]
    [InlineData("get_[f]ile", "get_file")]
    [InlineData("get_\\*", "get_x")]
    public void Glob_OtherWildcardSyntax_IsLiteral(string pattern, string value)
    {
        new Glob(pattern).IsMatch(value).Should().BeFalse();
    }

    [Fact]
    public void GlobList_Empty_MatchesNothing()
    {
        GlobList.Empty.IsMatch("x").Should().BeFalse();
        GlobList.Empty.IsMatch(string.Empty).Should().BeFalse();
    }

    [Fact]
    public void GlobList_AnyPatternMatching_Matches()
    {
        var list = new GlobList(["github", "graf*"]);

        list.IsMatch("grafana").Should().BeTrue();
        list.IsMatch("github").Should().BeTrue();
        list.IsMatch("sentry").Should().BeFalse();
    }
}

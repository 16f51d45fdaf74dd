using McpGate.Policy.Classification;

namespace McpGate.Policy.Tests.Classification;

public sealed class NameTokenizerTests
{
    [Theory]
    [InlineData("execute_sql_read_only", new[] { "execute", "sql", "read", "only" })]
    [InlineData("list-repos", new[] { "list", "repos" })]
    [InlineData("github.get.issue", new[] { "github", "get", "issue" })]
    [InlineData("get issue", new[] { "get", "issue" })]
    [InlineData("gh_pullRequest-list", new[] { "gh", "pull", "request", "list" })]
    public void Tokenize_Separators_SplitIntoLowerCaseTokens(string name, string[] expected)
    {
        NameTokenizer.Tokenize(name).Should().Equal(expected);
    }

    [Theory]
    [InlineData("getUserInfo", new[] { "get", "user", "info" })]
    [InlineData("GetUserInfo", new[] { "get", "user", "info" })]
    [InlineData("aB", new[] { "a", "b" })]
    public void Tokenize_CamelCase_SplitsAtLowerToUpper(string name, string[] expected)
    {
        NameTokenizer.Tokenize(name).Should().Equal(expected);
    }

    [Theory]
    [InlineData("HTTPRequest", new[] { "http", "request" })]
    [InlineData("getHTTPResponse", new[] { "get", "http", "response" })]
    [InlineData("IOError", new[] { "io", "error" })]
    [InlineData("ABC", new[] { "abc" })]
    [InlineData("GET_SQL", new[] { "get", "sql" })]
    public void Tokenize_Acronyms_StayTogether(string name, string[] expected)
    {
        NameTokenizer.Tokenize(name).Should().Equal(expected);
    }

    [Fact]
    public void Tokenize_PluralAcronym_SplitsBeforeItsLastCapital()
    {
        // The acronym rule cannot tell "URLs" from "UR" + "Ls"; the leading word is still found.
        NameTokenizer.Tokenize("listURLs").Should().Equal("list", "ur", "ls");
    }

    [Theory]
    [InlineData("s3Upload", new[] { "s3", "upload" })]
    [InlineData("ListS3Buckets", new[] { "list", "s3", "buckets" })]
    [InlineData("getV2Items", new[] { "get", "v2", "items" })]
    [InlineData("v2get", new[] { "v2get" })]
    [InlineData("get2fa", new[] { "get2fa" })]
    [InlineData("get_2", new[] { "get", "2" })]
    public void Tokenize_Digits_StayWithTheirLettersUntilAnUpperCaseLetter(string name, string[] expected)
    {
        NameTokenizer.Tokenize(name).Should().Equal(expected);
    }

    [Theory]
    [InlineData("", new string[0])]
    [InlineData("___", new string[0])]
    [InlineData("__get--issue..  x", new[] { "get", "issue", "x" })]
    [InlineData("get/issue", new[] { "get/issue" })]
    [InlineData("x", new[] { "x" })]
    public void Tokenize_EmptyAndOddInput_SkipsEmptyTokensAndKeepsOtherCharacters(string name, string[] expected)
    {
        NameTokenizer.Tokenize(name).Should().Equal(expected);
    }
}

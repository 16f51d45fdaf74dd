using System.Diagnostics;
using System.Text.Json;
using CsCheck;
using FluentAssertions;
using McpGate.Policy.Resources;
using McpGate.Testing;
using Xunit;

namespace McpGate.Policy.Tests.Resources;

/// <summary>
/// WhatwgUrl against the real thing: node's <c>new URL(x).href</c> (the parser the TypeScript SDK's McpServer and
/// server-filesystem read resource URIs with), input by input. Nothing may differ but the listed IDNA hosts.
/// </summary>
[Trait("Category", "Process")]
public sealed class WhatwgUrlDifferentialTests
{
    [Fact]
    public async Task Hand_written_corpus_reads_as_node_reads_it()
    {
        var node = await NodeHrefs(UrlCorpus.Tricky);

        var differences = Differences(UrlCorpus.Tricky, node, skipIdna: false);

        differences.Should().BeEmpty();
    }

    [Fact]
    public async Task Generated_corpus_reads_as_node_reads_it()
    {
        var corpus = UrlCorpus.Generated.Array[3000].Single();
        var node = await NodeHrefs(corpus);
        node.Count(href => href is not null).Should().BeGreaterThan(corpus.Length / 4, "most of the corpus should be URLs, not noise");

        // Only a host that needs IDNA may differ (WhatwgUrl refuses it); everything else must agree.
        var differences = Differences(corpus, node, skipIdna: true);

        differences.Should().BeEmpty();
    }

    [Fact]
    public async Task Hosts_that_need_idna_are_refused_where_node_reads_them()
    {
        // The known divergence: with InvariantGlobalization, IdnMapping has no UTS #46 mapping, so a host that needs
        // IDNA is refused (denied as invalid_uri) rather than read in a way node might not.
        var node = await NodeHrefs(UrlCorpus.IdnaDivergences);

        for (var i = 0; i < UrlCorpus.IdnaDivergences.Length; i++)
        {
            node[i].Should().NotBeNull($"node reads {Show(UrlCorpus.IdnaDivergences[i])}");
            WhatwgUrl.Canonicalize(UrlCorpus.IdnaDivergences[i], out var needsIdna).Should().BeNull();
            needsIdna.Should().BeTrue();
        }
    }

    private static List<string> Differences(IReadOnlyList<string> inputs, string?[] node, bool skipIdna)
    {
        var differences = new List<string>();
        for (var i = 0; i < inputs.Count; i++)
        {
            // The evaluator's fast path skips the parser for a URI it calls canonical: node must agree it is.
            if (ResourceUri.IsCanonical(inputs[i]) && !string.Equals(inputs[i], node[i], StringComparison.Ordinal))
            {
                differences.Add($"{Show(inputs[i])}: node {Show(node[i])}, ResourceUri.IsCanonical true");
            }

            var ours = WhatwgUrl.Canonicalize(inputs[i], out var needsIdna);
            if (string.Equals(ours, node[i], StringComparison.Ordinal) || (skipIdna && needsIdna && ours is null))
            {
                continue;
            }

            differences.Add($"{Show(inputs[i])}: node {Show(node[i])}, WhatwgUrl {Show(ours)}");
        }

        return differences;
    }

    /// <summary>Runs <c>whatwg-href.js</c> once over all inputs: one node process per corpus.</summary>
    private static async Task<string?[]> NodeHrefs(IReadOnlyList<string> inputs)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Resources", "whatwg-href.js");
        var run = await ProcessRunner.RunAsync(new ProcessStartInfo("node", [script]), TimeSpan.FromSeconds(60), JsonSerializer.Serialize(inputs));
        run.ExitCode.Should().Be(0, run.Error);
        var hrefs = JsonSerializer.Deserialize<string?[]>(run.Output)!;
        hrefs.Should().HaveCount(inputs.Count);
        return hrefs;
    }

    private static string Show(string? value) => value is null ? "INVALID" : JsonSerializer.Serialize(value);
}

using System.Globalization;
using System.Text;
using System.Xml;
using McpGate.Cli.Output;
using McpGate.Analysis.Fixtures;
using McpGate.Policy.Evaluation;

namespace McpGate.Cli.Commands.Acl;

/// <summary>The three outputs of <c>mcp acl test</c>: text for people, JSON for scripts, JUnit XML for CI systems.</summary>
internal static class TestReport
{
    public static void WriteText(TextWriter output, IReadOnlyList<FixtureResult> results)
    {
        foreach (var result in results.Where(r => !r.Passed))
        {
            output.WriteLine($"FAIL {Location(result.Fixture)} \"{result.Fixture.Name}\": {string.Join("; ", result.Mismatches)} ({result.Decision.Reason})");
        }

        output.WriteLine(Summary(results));
    }

    public static string Summary(IReadOnlyList<FixtureResult> results)
    {
        var passed = results.Count(r => r.Passed);
        return $"{passed} passed, {results.Count - passed} failed";
    }

    public static void WriteJson(TextWriter output, IReadOnlyList<FixtureResult> results) =>
        JsonOutput.Write(output, writer =>
        {
            var passed = results.Count(r => r.Passed);
            writer.WriteStartObject();
            writer.WriteNumber("passed", passed);
            writer.WriteNumber("failed", results.Count - passed);
            writer.WriteStartArray("cases");
            foreach (var result in results)
            {
                var fixture = result.Fixture;
                writer.WriteStartObject();
                writer.WriteString("file", fixture.File);
                JsonOutput.WriteNumberOrNull(writer, "line", fixture.Line);
                writer.WriteString("name", fixture.Name);
                writer.WriteBoolean("passed", result.Passed);
                writer.WriteString("expect", fixture.Expect.ToWire());
                writer.WriteString("expect_rule", fixture.Rule);
                writer.WriteString("expect_classification", fixture.Classification);
                writer.WriteString("decision", result.Decision.Verdict.ToWire());
                writer.WriteString("matched_rule", result.Decision.MatchedRule);
                writer.WriteString("classification", result.ClassificationGot);
                writer.WriteString("reason", result.Decision.Reason);
                JsonOutput.WriteStringArrayOrNull(writer, "mismatches", result.Mismatches);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    /// <summary>One <c>testsuite</c> per fixture file, one <c>testcase</c> per case, a <c>failure</c> per failing one.</summary>
    public static void WriteJUnit(TextWriter output, IReadOnlyList<FixtureResult> results)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(new StringWriter(text, CultureInfo.InvariantCulture), settings))
        {
            xml.WriteStartElement("testsuites");
            xml.WriteAttributeString("name", "mcp acl test");
            xml.WriteAttributeString("tests", Number(results.Count));
            xml.WriteAttributeString("failures", Number(results.Count(r => !r.Passed)));
            foreach (var file in results.GroupBy(r => r.Fixture.File))
            {
                var suite = Path.GetFileName(file.Key);
                xml.WriteStartElement("testsuite");
                xml.WriteAttributeString("name", suite);
                xml.WriteAttributeString("tests", Number(file.Count()));
                xml.WriteAttributeString("failures", Number(file.Count(r => !r.Passed)));
                xml.WriteAttributeString("errors", "0");
                xml.WriteAttributeString("skipped", "0");
                foreach (var result in file)
                {
                    xml.WriteStartElement("testcase");
                    xml.WriteAttributeString("classname", suite);
                    xml.WriteAttributeString("name", result.Fixture.Name);
                    xml.WriteAttributeString("file", result.Fixture.File);
                    if (result.Fixture.Line is { } line)
                    {
                        xml.WriteAttributeString("line", Number(line));
                    }

                    if (!result.Passed)
                    {
                        xml.WriteStartElement("failure");
                        xml.WriteAttributeString("message", string.Join("; ", result.Mismatches));
                        xml.WriteAttributeString("type", "PolicyExpectation");
                        xml.WriteString($"{Location(result.Fixture)}: {result.Decision.Reason} (matched_rule {result.Decision.MatchedRule}, classification {result.ClassificationGot})");
                        xml.WriteEndElement();
                    }

                    xml.WriteEndElement();
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        // StringWriter reports UTF-16; the XML is written out as UTF-8, so say so.
        output.WriteLine(text.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal));
    }

    private static string Location(PolicyFixture fixture) =>
        fixture.Line is { } line ? $"{Path.GetFileName(fixture.File)}:{Number(line)}" : Path.GetFileName(fixture.File);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}

namespace McpGate.Policy.Evaluation;

/// <summary>
/// The other URIs a resource URI can resolve to once it reaches an upstream. MCP SDKs match resource URIs after URI
/// normalisation: the C# SDK reads <c>file:///public/%2e%2e/secret/keys.txt</c> (and <c>/public/../secret</c>,
/// <c>..%2f</c>) as <c>file:///secret/keys.txt</c>, so a glob matched against the raw text alone could be walked
/// out of. The evaluator decides every form and the first denial wins; a URI with nothing to normalise has one form.
/// It runs on the URI's WHATWG-canonical form (<see cref="Resources.ResourceUri"/>), the TypeScript SDK's reading.
/// </summary>
internal static class ResourceUriForms
{
    /// <summary>False for the usual URI, which has exactly one form (no allocation on the hot path).</summary>
    public static bool MayResolveElsewhere(string uri) =>
        uri.Contains('%') || uri.Contains('\\') || uri.Contains("/.", StringComparison.Ordinal);

    /// <summary>The distinct forms of <paramref name="uri"/>: itself first, then percent-decoded and dot-segment-free ones.</summary>
    public static List<string> Of(string uri)
    {
        var forms = new List<string>(6) { uri };
        Add(forms, RemoveDotSegments(uri));

        // Decoded repeatedly (bounded): %252e%252e becomes .. after two peers decode once each.
        var decoded = uri;
        for (var i = 0; i < 3 && decoded.Contains('%'); i++)
        {
            var next = Uri.UnescapeDataString(decoded);
            if (string.Equals(next, decoded, StringComparison.Ordinal))
            {
                break;
            }

            decoded = next;
            Add(forms, decoded);
            Add(forms, RemoveDotSegments(decoded));
        }

        if (decoded.Contains('\\'))
        {
            var slashes = decoded.Replace('\\', '/');
            Add(forms, slashes);
            Add(forms, RemoveDotSegments(slashes));
        }

        if (Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            Add(forms, parsed.AbsoluteUri);
            Add(forms, Uri.UnescapeDataString(parsed.AbsoluteUri));
        }

        return forms;
    }

    /// <summary>RFC 3986 §5.2.4 on everything after <c>scheme://authority</c> (or <c>scheme:</c>).</summary>
    internal static string RemoveDotSegments(string uri)
    {
        var authority = uri.IndexOf("://", StringComparison.Ordinal);
        var pathStart = authority >= 0 ? uri.IndexOf('/', authority + 3) : uri.IndexOf(':') + 1;
        if (pathStart <= 0 || !uri.AsSpan(pathStart).Contains('.'))
        {
            return uri;
        }

        var segments = uri[pathStart..].Split('/');
        var output = new List<string>(segments.Length);
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            switch (segments[i])
            {
                case ".":
                    break;
                case "..":
                    if (output.Count > 1 || (output.Count == 1 && output[0].Length > 0))
                    {
                        output.RemoveAt(output.Count - 1);
                    }

                    break;
                default:
                    output.Add(segments[i]);
                    continue;
            }

            if (last)
            {
                output.Add(string.Empty);
            }
        }

        return string.Concat(uri.AsSpan(0, pathStart), string.Join('/', output));
    }

    private static void Add(List<string> forms, string form)
    {
        if (!forms.Contains(form))
        {
            forms.Add(form);
        }
    }
}

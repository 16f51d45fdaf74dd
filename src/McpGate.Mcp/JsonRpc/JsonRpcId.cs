using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace McpGate.Mcp.JsonRpc;

/// <summary>
/// A JSON-RPC id exactly as the peer wrote it. The raw JSON text is kept (<c>7</c>, <c>"abc"</c>, <c>1.0</c>) so that
/// an answer the gateway writes itself echoes the id the client sent, byte for byte.
/// <c>default</c> is "no id member".
/// </summary>
public readonly struct JsonRpcId : IEquatable<JsonRpcId>
{
    private const byte KindNone = 0;
    private const byte KindNull = 1;
    private const byte KindNumber = 2;
    private const byte KindString = 3;

    private static readonly JsonRpcId s_null = new("null", KindNull);

    private readonly string? _raw;
    private readonly byte _kind;

    private JsonRpcId(string raw, byte kind)
    {
        _raw = raw;
        _kind = kind;
    }

    /// <summary>No <c>id</c> member at all (a notification).</summary>
    public static JsonRpcId None => default;

    /// <summary><c>"id": null</c>.</summary>
    public static JsonRpcId Null => s_null;

    /// <summary>The message had an <c>id</c> member (possibly <c>null</c>).</summary>
    public bool IsPresent => _kind != KindNone;

    public bool IsNull => _kind == KindNull;

    public bool IsNumber => _kind == KindNumber;

    public bool IsString => _kind == KindString;

    /// <summary>The exact JSON text of the id (<c>7</c>, <c>"abc"</c> with its quotes, <c>null</c>); null when absent.</summary>
    public string? RawJson => _raw;

    public static JsonRpcId FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var encoded = JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        return new JsonRpcId(string.Concat("\"", encoded.ToString(), "\""), KindString);
    }

    /// <summary>The largest integer a JavaScript number holds exactly (2^53 - 1), <c>Number.MAX_SAFE_INTEGER</c>.</summary>
    public const long MaxSafeInteger = 9_007_199_254_740_991;

    /// <summary>
    /// True for the JSON text of an integer every peer reads as the same number: no fraction, no exponent, no
    /// <c>-0</c>, and |n| ≤ 2^53 - 1 (a JavaScript upstream reads larger ones rounded, so it would echo another id).
    /// </summary>
    public static bool IsSafeInteger(ReadOnlySpan<byte> json)
    {
        var digits = json.Length > 0 && json[0] == (byte)'-' ? json[1..] : json;
        if (digits.IsEmpty || digits.Length > 16 || digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            return false;
        }

        if (digits[0] == (byte)'0')
        {
            // "0" alone; "-0" reads as 0 in JavaScript and would come back as another text.
            return digits.Length == 1 && json.Length == 1;
        }

        long value = 0;
        foreach (var digit in digits)
        {
            value = (value * 10) + (digit - (byte)'0');
        }

        return value <= MaxSafeInteger;
    }

    /// <summary>
    /// Parses the JSON text of an id (a number, a string with its quotes, or <c>null</c>). A string whose escapes do not
    /// decode (a lone surrogate) is not an id: it could not be compared with another.
    /// </summary>
    public static bool TryParse(string rawJson, out JsonRpcId id)
    {
        ArgumentNullException.ThrowIfNull(rawJson);
        id = default;
        var bytes = Encoding.UTF8.GetBytes(rawJson);
        var reader = new Utf8JsonReader(bytes);
        try
        {
            if (!reader.Read() || !TryRead(ref reader, bytes, out id) || !Decodes(ref reader) || reader.Read())
            {
                id = default;
                return false;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            id = default;
            return false;
        }

        return id.IsPresent;
    }

    // GetString throws (InvalidOperationException) for escapes that do not decode, as the inspector checks request ids.
    private static bool Decodes(ref Utf8JsonReader reader) =>
        reader.TokenType != JsonTokenType.String || !reader.ValueIsEscaped || reader.GetString() is not null;

    /// <summary>
    /// Reads the id at the reader's current token. False for tokens an id may not be (objects, arrays, booleans).
    /// The reader must be over <paramref name="source"/> as one contiguous span.
    /// </summary>
    internal static bool TryRead(ref Utf8JsonReader reader, ReadOnlySpan<byte> source, out JsonRpcId id)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                id = s_null;
                return true;
            case JsonTokenType.Number:
                id = new JsonRpcId(Encoding.UTF8.GetString(reader.ValueSpan), KindNumber);
                return true;
            case JsonTokenType.String:
                // ValueSpan is the still-escaped text between the quotes; the token starts at the opening quote.
                var raw = source.Slice((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2);
                id = new JsonRpcId(Encoding.UTF8.GetString(raw), KindString);
                return true;
            default:
                id = default;
                return false;
        }
    }

    /// <summary>Writes the id as a JSON value (<c>null</c> when absent).</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_raw is null || _kind == KindNull)
        {
            writer.WriteNullValue();
        }
        else
        {
            // The text came out of a JSON parser (or our own encoder) as one complete value.
            writer.WriteRawValue(_raw, skipInputValidation: true);
        }
    }

    /// <summary>The id for the audit log: <c>7</c>, <c>abc</c> (unescaped, no quotes); null when absent or null.</summary>
    public string? ToAuditString() => _kind switch
    {
        KindNumber => _raw,
        KindString => UnquoteString(_raw!),
        _ => null,
    };

    public override string ToString() => _raw ?? string.Empty;

    /// <summary>
    /// JSON-RPC identity: strings by their unescaped value, numbers by numeric value (<c>1</c> equals <c>1.0</c>),
    /// never a string equal to a number.
    /// </summary>
    public bool Equals(JsonRpcId other)
    {
        if (_kind != other._kind)
        {
            return false;
        }

        if (string.Equals(_raw, other._raw, StringComparison.Ordinal))
        {
            return true;
        }

        return _kind switch
        {
            KindString => string.Equals(UnquoteString(_raw!), UnquoteString(other._raw!), StringComparison.Ordinal),
            KindNumber => TryNumber(_raw!, out var a) && TryNumber(other._raw!, out var b) && a == b,
            _ => false,
        };
    }

    public override bool Equals(object? obj) => obj is JsonRpcId other && Equals(other);

    public override int GetHashCode() => _kind switch
    {
        KindString => StringComparer.Ordinal.GetHashCode(UnquoteString(_raw!)),
        KindNumber => TryNumber(_raw!, out var value) ? value.GetHashCode() : StringComparer.Ordinal.GetHashCode(_raw!),
        _ => _kind,
    };

    public static bool operator ==(JsonRpcId left, JsonRpcId right) => left.Equals(right);

    public static bool operator !=(JsonRpcId left, JsonRpcId right) => !left.Equals(right);

    private static bool TryNumber(string raw, out decimal value) =>
        decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static string UnquoteString(string raw)
    {
        if (raw.AsSpan(1, raw.Length - 2).IndexOf('\\') < 0)
        {
            return raw[1..^1];
        }

        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(raw));
        reader.Read();
        return reader.GetString()!;
    }
}

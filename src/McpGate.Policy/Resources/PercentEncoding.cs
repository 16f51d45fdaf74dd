using System.Text;

namespace McpGate.Policy.Resources;

/// <summary>The URL Standard's percent-encode sets ("Percent-encoded bytes"), as 128-bit ASCII masks.</summary>
internal enum PercentEncodeSet
{
    /// <summary>C0 controls and everything above U+007E: opaque paths and opaque hosts.</summary>
    C0Control,
    Fragment,
    Query,

    /// <summary>The query set and U+0027 ('): queries of special URLs.</summary>
    SpecialQuery,
    Path,
    Userinfo,
}

/// <summary>UTF-8 percent-encoding and percent-decoding exactly as the URL Standard defines them.</summary>
internal static class PercentEncoding
{
    // Declared first: static initialisers run in textual order and every other set builds on it.
    private static readonly bool[] s_c0 = Build(null, "\u007f");
    private static readonly bool[] s_fragment = Build(s_c0, " \"<>`");
    private static readonly bool[] s_query = Build(s_c0, " \"#<>");
    private static readonly bool[] s_specialQuery = Build(s_query, "'");
    private static readonly bool[] s_path = Build(s_query, "?`{}");
    private static readonly bool[] s_userinfo = Build(s_path, "/:;=@[\\]^|");

    /// <summary>Appends <paramref name="codePoint"/>, percent-encoding its UTF-8 bytes when the set contains it.</summary>
    public static void Append(StringBuilder output, int codePoint, PercentEncodeSet set)
    {
        if (codePoint < 0x80 && !Contains(set, codePoint))
        {
            output.Append((char)codePoint);
            return;
        }

        if (codePoint < 0x80)
        {
            AppendByte(output, (byte)codePoint);
            return;
        }

        // Every set contains all code points above U+007E: their UTF-8 bytes are always encoded.
        Span<byte> utf8 = stackalloc byte[4];
        var length = new Rune(codePoint).EncodeToUtf8(utf8);
        for (var i = 0; i < length; i++)
        {
            AppendByte(output, utf8[i]);
        }
    }

    public static bool Contains(PercentEncodeSet set, int codePoint)
    {
        if (codePoint >= 0x7f)
        {
            return true;
        }

        var table = set switch
        {
            PercentEncodeSet.C0Control => s_c0,
            PercentEncodeSet.Fragment => s_fragment,
            PercentEncodeSet.Query => s_query,
            PercentEncodeSet.SpecialQuery => s_specialQuery,
            PercentEncodeSet.Path => s_path,
            _ => s_userinfo,
        };
        return table[codePoint];
    }

    /// <summary>"Percent-decode" a string's UTF-8 bytes: <c>%XX</c> becomes the byte, a lone <c>%</c> stays.</summary>
    public static byte[] Decode(string input)
    {
        var bytes = Encoding.UTF8.GetBytes(input);
        var output = new byte[bytes.Length];
        var length = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '%' && i + 2 < bytes.Length && IsHex(bytes[i + 1]) && IsHex(bytes[i + 2]))
            {
                output[length++] = (byte)((HexValue(bytes[i + 1]) << 4) | HexValue(bytes[i + 2]));
                i += 2;
            }
            else
            {
                output[length++] = bytes[i];
            }
        }

        return output[..length];
    }

    private static void AppendByte(StringBuilder output, byte value)
    {
        const string Hex = "0123456789ABCDEF";
        output.Append('%').Append(Hex[value >> 4]).Append(Hex[value & 0xF]);
    }

    private static bool IsHex(byte value) => char.IsAsciiHexDigit((char)value);

    private static int HexValue(byte value) => value <= '9' ? value - '0' : (value | 0x20) - 'a' + 10;

    private static bool[] Build(bool[]? baseSet, string extra)
    {
        var table = new bool[0x80];
        if (baseSet is null)
        {
            // The C0 control percent-encode set: U+0000 to U+001F (U+007F and above are handled in Contains).
            for (var i = 0; i < 0x20; i++)
            {
                table[i] = true;
            }
        }
        else
        {
            baseSet.CopyTo(table, 0);
        }

        foreach (var c in extra)
        {
            table[c] = true;
        }

        return table;
    }
}

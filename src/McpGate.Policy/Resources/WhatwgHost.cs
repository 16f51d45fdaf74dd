using System.Globalization;
using System.Text;

namespace McpGate.Policy.Resources;

/// <summary>
/// The URL Standard's host parser ("Host parsing") and host serializer: domains, IPv4 and IPv6 addresses, opaque
/// hosts. Returns the serialized host (IPv6 in brackets) or null for failure.
/// </summary>
internal static class WhatwgHost
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>"Host parser" for <paramref name="input"/>; <paramref name="isOpaque"/> is "url is not special".</summary>
    /// <param name="needsIdna">Set when the host was refused only because it needs IDNA (see <see cref="DomainToAscii"/>).</param>
    public static string? Parse(string input, bool isOpaque, out bool needsIdna)
    {
        needsIdna = false;
        if (input.StartsWith('['))
        {
            if (!input.EndsWith(']') || input.Length < 2)
            {
                return null;
            }

            return ParseIPv6(input.AsSpan(1, input.Length - 2)) is { } address ? "[" + SerializeIPv6(address) + "]" : null;
        }

        if (isOpaque)
        {
            return ParseOpaque(input);
        }

        // "UTF-8 decode without BOM" replaces invalid sequences with U+FFFD, which domain to ASCII then refuses.
        var domain = s_utf8.GetString(PercentEncoding.Decode(input));
        var ascii = DomainToAscii(domain, out needsIdna);
        if (ascii is null)
        {
            return null;
        }

        if (EndsInANumber(ascii))
        {
            return ParseIPv4(ascii) is { } address ? SerializeIPv4(address) : null;
        }

        return ascii;
    }

    /// <summary>
    /// "Domain to ASCII" with beStrict false. For an ASCII domain UTS #46 mapping is lower-casing, and the
    /// forbidden-domain check does the rest.
    /// <para>
    /// Known divergence: a domain that needs IDNA (a non-ASCII code point, or an <c>xn--</c> label whose Punycode
    /// UTS #46 validates) is refused. McpGate runs with InvariantGlobalization, where <see cref="IdnMapping"/> does
    /// Punycode only, without the UTS #46 mapping (it would encode <c>Ü</c> rather than map it to <c>ü</c>, and
    /// accept <c>xn--abc</c>, which UTS #46 rejects). A wrong mapping would be a second reading of the host; refusing
    /// is the reading that cannot let a request out of its grant. Non-special URLs (<c>mcp://</c>) have opaque
    /// hosts and are not affected.
    /// </para>
    /// </summary>
    internal static string? DomainToAscii(string domain, out bool needsIdna)
    {
        needsIdna = false;
        if (domain.Length == 0)
        {
            return null;
        }

        var result = new StringBuilder(domain.Length);
        foreach (var c in domain)
        {
            if (!char.IsAscii(c))
            {
                needsIdna = true;
                return null;
            }

            if (IsForbiddenDomainCodePoint(c))
            {
                return null;
            }

            result.Append(char.ToLowerInvariant(c));
        }

        var ascii = result.ToString();
        foreach (var label in ascii.Split('.'))
        {
            if (label.StartsWith("xn--", StringComparison.Ordinal))
            {
                needsIdna = true;
                return null;
            }
        }

        return ascii;
    }

    /// <summary>"Opaque-host parser": refuse forbidden host code points, C0-control-percent-encode the rest.</summary>
    private static string? ParseOpaque(string input)
    {
        var output = new StringBuilder(input.Length);
        for (var i = 0; i < input.Length; i++)
        {
            var codePoint = (int)input[i];
            if (char.IsHighSurrogate(input[i]) && i + 1 < input.Length && char.IsLowSurrogate(input[i + 1]))
            {
                codePoint = char.ConvertToUtf32(input[i], input[i + 1]);
                i++;
            }
            else if (IsForbiddenHostCodePoint(codePoint))
            {
                return null;
            }

            PercentEncoding.Append(output, codePoint, PercentEncodeSet.C0Control);
        }

        return output.ToString();
    }

    private static bool IsForbiddenHostCodePoint(int c) =>
        c is 0x00 or 0x09 or 0x0A or 0x0D or ' ' or '#' or '/' or ':' or '<' or '>' or '?' or '@' or '[' or '\\' or ']' or '^' or '|';

    private static bool IsForbiddenDomainCodePoint(int c) => IsForbiddenHostCodePoint(c) || c <= 0x1F || c is '%' or 0x7F;

    /// <summary>"Ends in a number checker": decides whether a domain is to be read as an IPv4 address.</summary>
    private static bool EndsInANumber(string input)
    {
        var parts = input.Split('.');
        var count = parts.Length;
        if (parts[count - 1].Length == 0)
        {
            if (count == 1)
            {
                return false;
            }

            count--;
        }

        var last = parts[count - 1];
        if (last.Length > 0 && last.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0)
        {
            return true;
        }

        return ParseIPv4Number(last, out _);
    }

    /// <summary>"IPv4 parser": one to four dotted numbers, each decimal, octal (leading 0) or hex (0x).</summary>
    private static uint? ParseIPv4(string input)
    {
        var parts = input.Split('.').ToList();
        if (parts[^1].Length == 0 && parts.Count > 1)
        {
            parts.RemoveAt(parts.Count - 1);
        }

        if (parts.Count > 4)
        {
            return null;
        }

        var numbers = new ulong[parts.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            if (!ParseIPv4Number(parts[i], out numbers[i]))
            {
                return null;
            }
        }

        for (var i = 0; i < numbers.Length - 1; i++)
        {
            if (numbers[i] > 255)
            {
                return null;
            }
        }

        if (numbers[^1] >= 1UL << (8 * (5 - numbers.Length)))
        {
            return null;
        }

        var ipv4 = numbers[^1];
        for (var i = 0; i < numbers.Length - 1; i++)
        {
            ipv4 += numbers[i] << (8 * (3 - i));
        }

        return (uint)ipv4;
    }

    /// <summary>"IPv4 number parser". Values saturate far above 2^32 so a long run of digits cannot overflow.</summary>
    private static bool ParseIPv4Number(string input, out ulong value)
    {
        value = 0;
        if (input.Length == 0)
        {
            return false;
        }

        var radix = 10;
        var digits = input.AsSpan();
        if (digits.Length >= 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
        {
            digits = digits[2..];
            radix = 16;
        }
        else if (digits.Length >= 2 && digits[0] == '0')
        {
            digits = digits[1..];
            radix = 8;
        }

        const ulong Saturated = 1UL << 40;
        foreach (var c in digits)
        {
            int digit;
            if (c is >= '0' and <= '9')
            {
                digit = c - '0';
            }
            else if (radix == 16 && char.IsAsciiHexDigit(c))
            {
                digit = HexValue(c);
            }
            else
            {
                return false;
            }

            if (digit >= radix)
            {
                return false;
            }

            value = Math.Min(value * (ulong)radix + (ulong)digit, Saturated);
        }

        return true;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static string SerializeIPv4(uint address) =>
        string.Create(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 0xFF}.{(address >> 8) & 0xFF}.{address & 0xFF}");

    /// <summary>"IPv6 parser", step by step: pieces, one <c>::</c> compression, an embedded IPv4 tail.</summary>
    private static ushort[]? ParseIPv6(ReadOnlySpan<char> input)
    {
        var address = new ushort[8];
        var pieceIndex = 0;
        int? compress = null;
        var pointer = 0;
        var end = input.Length;
        if (end > 0 && input[0] == ':')
        {
            if (pointer + 1 >= end || input[pointer + 1] != ':')
            {
                return null;
            }

            pointer += 2;
            pieceIndex++;
            compress = pieceIndex;
        }

        while (pointer < end)
        {
            if (pieceIndex == 8)
            {
                return null;
            }

            if (input[pointer] == ':')
            {
                if (compress is not null)
                {
                    return null;
                }

                pointer++;
                pieceIndex++;
                compress = pieceIndex;
                continue;
            }

            int value = 0, length = 0;
            while (length < 4 && pointer < end && char.IsAsciiHexDigit(input[pointer]))
            {
                value = (value * 16) + HexValue(input[pointer]);
                pointer++;
                length++;
            }

            if (pointer < end && input[pointer] == '.')
            {
                if (length == 0)
                {
                    return null;
                }

                pointer -= length;
                if (pieceIndex > 6)
                {
                    return null;
                }

                var numbersSeen = 0;
                while (pointer < end)
                {
                    int? ipv4Piece = null;
                    if (numbersSeen > 0)
                    {
                        if (input[pointer] == '.' && numbersSeen < 4)
                        {
                            pointer++;
                        }
                        else
                        {
                            return null;
                        }
                    }

                    if (pointer >= end || !char.IsAsciiDigit(input[pointer]))
                    {
                        return null;
                    }

                    while (pointer < end && char.IsAsciiDigit(input[pointer]))
                    {
                        var number = input[pointer] - '0';
                        if (ipv4Piece is null)
                        {
                            ipv4Piece = number;
                        }
                        else if (ipv4Piece == 0)
                        {
                            return null;
                        }
                        else
                        {
                            ipv4Piece = (ipv4Piece * 10) + number;
                        }

                        if (ipv4Piece > 255)
                        {
                            return null;
                        }

                        pointer++;
                    }

                    address[pieceIndex] = (ushort)((address[pieceIndex] * 0x100) + ipv4Piece!.Value);
                    numbersSeen++;
                    if (numbersSeen is 2 or 4)
                    {
                        pieceIndex++;
                    }
                }

                if (numbersSeen != 4)
                {
                    return null;
                }

                break;
            }

            if (pointer < end && input[pointer] == ':')
            {
                pointer++;
                if (pointer >= end)
                {
                    return null;
                }
            }
            else if (pointer < end)
            {
                return null;
            }

            address[pieceIndex] = (ushort)value;
            pieceIndex++;
        }

        if (compress is { } start)
        {
            var swaps = pieceIndex - start;
            pieceIndex = 7;
            while (pieceIndex != 0 && swaps > 0)
            {
                (address[pieceIndex], address[start + swaps - 1]) = (address[start + swaps - 1], address[pieceIndex]);
                pieceIndex--;
                swaps--;
            }
        }
        else if (pieceIndex != 8)
        {
            return null;
        }

        return address;
    }

    /// <summary>"IPv6 serializer": lower-case hex, the first longest run of two or more zero pieces compressed.</summary>
    private static string SerializeIPv6(ushort[] address)
    {
        int compress = -1, bestLength = 1;
        for (var i = 0; i < 8;)
        {
            if (address[i] != 0)
            {
                i++;
                continue;
            }

            var run = i;
            while (run < 8 && address[run] == 0)
            {
                run++;
            }

            if (run - i > bestLength)
            {
                compress = i;
                bestLength = run - i;
            }

            i = run;
        }

        var output = new StringBuilder(39);
        var ignore0 = false;
        for (var i = 0; i < 8; i++)
        {
            if (ignore0 && address[i] == 0)
            {
                continue;
            }

            ignore0 = false;
            if (compress == i)
            {
                output.Append(i == 0 ? "::" : ":");
                ignore0 = true;
                continue;
            }

            output.Append(address[i].ToString("x", CultureInfo.InvariantCulture));
            if (i != 7)
            {
                output.Append(':');
            }
        }

        return output.ToString();
    }
}

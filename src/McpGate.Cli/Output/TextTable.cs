using System.Text;

namespace McpGate.Cli.Output;

/// <summary>A left-aligned text table with two spaces between columns; cells may be styled after padding.</summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] headers)
    {
        _headers = headers;
    }

    public void AddRow(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"Expected {_headers.Length} cells, got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
    }

    /// <param name="style">Called with (row index, column index, padded cell); returns what to print.</param>
    public void Write(TextWriter output, Func<int, int, string, string>? style = null)
    {
        var widths = new int[_headers.Length];
        for (var column = 0; column < _headers.Length; column++)
        {
            widths[column] = _headers[column].Length;
            foreach (var row in _rows)
            {
                widths[column] = Math.Max(widths[column], row[column].Length);
            }
        }

        WriteRow(output, _headers, widths, static (_, text) => text);
        for (var index = 0; index < _rows.Count; index++)
        {
            var rowIndex = index;
            WriteRow(output, _rows[index], widths, style is null ? static (_, text) => text : (column, text) => style(rowIndex, column, text));
        }
    }

    private static void WriteRow(TextWriter output, string[] cells, int[] widths, Func<int, string, string> style)
    {
        var line = new StringBuilder();
        for (var column = 0; column < cells.Length; column++)
        {
            var last = column == cells.Length - 1;
            var padded = last ? cells[column] : cells[column].PadRight(widths[column] + 2);
            line.Append(style(column, padded));
        }

        output.WriteLine(line.ToString().TrimEnd());
    }
}

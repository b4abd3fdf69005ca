using System.Globalization;
using CsvHelper;
using VoScript.Engine.Model;

namespace VoScript.Engine.Formats.Csv;

/// <summary>
/// Writes a <see cref="Table"/> as CSV: a header line of column names, then one line
/// per row; null cells are empty, booleans true/false, floating point in round-trip
/// form, array cells as their elements separated by spaces.
/// </summary>
public static class CsvTableWriter
{
    /// <summary>Writes <paramref name="table"/> as CSV (a header row, then the rows) to <paramref name="stream"/>.</summary>
    public static void Write(Table table, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(stream);
        using var csv = CsvWriter.Create(stream, new CsvWriterOptions { Separator = ',', NewLine = "\n", FormatProvider = CultureInfo.InvariantCulture }, leaveOpen: true);
        foreach (var c in table.Columns) csv.WriteField(c.Name);
        csv.EndRecord();
        for (var r = 0; r < table.RowCount; r++)
        {
            foreach (var c in table.Columns)
            {
                string text;
                if (c.IsNull(r)) text = "";
                else if (c is ScalarColumn<bool> b) text = b.Values[r] ? "true" : "false";
                else text = c.FormatCell(r);
                csv.WriteField(text);
            }
            csv.EndRecord();
        }
        csv.Flush();
    }

    /// <summary>Writes <paramref name="table"/> as CSV to the file <paramref name="path"/>.</summary>
    public static void WriteFile(Table table, string path)
    {
        using var fs = File.Create(path);
        Write(table, fs);
    }
}

using Terminal.Gui.Views;
using VoScript.Engine.Model;

namespace VoScript.Cli.Repl;

/// <summary>A workspace table for Terminal.Gui's TableView; with <see cref="ShowMeta"/> the first two rows are the columns' units and UCDs.</summary>
internal sealed class TableSource(Table table, int? limit = null) : ITableSource
{
    public Table Table { get; } = table;

    /// <summary>The rows shown: all, or the first N of <c>show T limit N</c>.</summary>
    public int ShownRows { get; } = Math.Min(table.RowCount, Math.Max(0, limit ?? table.RowCount));

    public bool ShowMeta { get; set; }

    private int MetaRows => ShowMeta ? 2 : 0;

    public object this[int row, int col] => row < MetaRows
        ? (row == 0 ? (string.IsNullOrEmpty(Table.Columns[col].Field.Unit) ? "" : "[" + Table.Columns[col].Field.Unit + "]") : Table.Columns[col].Field.Ucd ?? "")
        : Table.Columns[col].DisplayCell(row - MetaRows);

    public string[] ColumnNames => Table.Columns.Select(c => c.Name).ToArray();

    public int Columns => Table.ColumnCount;

    public int Rows => ShownRows + MetaRows;
}

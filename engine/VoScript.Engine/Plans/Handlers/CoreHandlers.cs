using System.Globalization;
using System.Text;
using VoScript.Engine.Tables;

namespace VoScript.Engine.Plans.Handlers;

/// <summary>The handlers every host has: values, printing, showing, loading and saving tables.</summary>
internal static class CoreHandlers
{
    public static IEnumerable<IStepHandler> All() =>
    [
        new ValueHandler("param"),
        new ValueHandler("let"),
        new PrintHandler(),
        new ShowHandler(),
        new LoadHandler(),
        new SaveHandler(),
    ];
}

/// <summary>Puts a param's or let's value into the workspace.</summary>
internal sealed class ValueHandler(string kind) : IStepHandler
{
    public string Kind { get; } = kind;

    public Task ExecuteAsync(PlanStep step, StepContext context, CancellationToken cancellationToken)
    {
        switch (step)
        {
            case ParamStep p: context.Workspace.SetValue(p.Name, p.Value); break;
            case LetStep l: context.Workspace.SetValue(l.Name, l.Value); break;
            default: throw new ArgumentException($"a {Kind} handler cannot run a {step.Kind} step");
        }
        return Task.CompletedTask;
    }
}

internal sealed class PrintHandler : IStepHandler
{
    public string Kind => "print";

    public Task ExecuteAsync(PlanStep step, StepContext context, CancellationToken cancellationToken)
    {
        var p = (PrintStep)step;
        context.Output(p.Table is { } name ? TableText.Summary(name, context.Workspace.GetTable(name))
            : p.Value is { } value ? (context.Workspace.TryGetValue(value, out var v) ? v.ToDisplay() : throw new VoScriptException($"there is no value '{value}' in the workspace"))
            : p.Text ?? "");
        return Task.CompletedTask;
    }
}

internal sealed class ShowHandler : IStepHandler
{
    public string Kind => "show";

    public Task ExecuteAsync(PlanStep step, StepContext context, CancellationToken cancellationToken)
    {
        var s = (ShowStep)step;
        context.Output(TableText.Grid(s.Table, context.Workspace.GetTable(s.Table), s.Limit));
        return Task.CompletedTask;
    }
}

internal sealed class LoadHandler : IStepHandler
{
    public string Kind => "load";

    public Task ExecuteAsync(PlanStep step, StepContext context, CancellationToken cancellationToken)
    {
        var l = (LoadStep)step;
        var table = TableFiles.Read(context.ResolvePath(l.Path));
        table.Name ??= l.Output;
        // the file's warnings and the repairs' stay on the table: the run summary reports them once
        context.Workspace.SetTable(l.Output, Arrival.Repair(table));
        context.Progress($"loaded {table.RowCount} rows from {l.Path}", rows: table.RowCount);
        return Task.CompletedTask;
    }
}

internal sealed class SaveHandler : IStepHandler
{
    public string Kind => "save";

    public Task ExecuteAsync(PlanStep step, StepContext context, CancellationToken cancellationToken)
    {
        var s = (SaveStep)step;
        var table = context.Workspace.GetTable(s.Table);
        TableFiles.Write(table, context.ResolvePath(s.Path));
        context.Progress($"saved {table.RowCount} rows to {s.Path}", rows: table.RowCount);
        return Task.CompletedTask;
    }
}

/// <summary>Tables as text for <c>print</c> and <c>show</c>.</summary>
internal static class TableText
{
    public static string Summary(string name, Table t) =>
        $"{name}: {Count(t.RowCount, "row")}, {Count(t.ColumnCount, "column")}"
        + (t.ColumnCount == 0 ? "" : " (" + string.Join(", ", t.Columns.Select(c => c.Name)) + ")");

    /// <summary>A fixed-width grid of the first <paramref name="limit"/> rows; long cells are cut with '…'.</summary>
    public static string Grid(string name, Table t, int limit, int maxCellWidth = 24)
    {
        var rows = Math.Min(limit, t.RowCount);
        var cells = new string[rows + 1][];
        cells[0] = t.Columns.Select(c => c.Name).ToArray();
        for (var r = 0; r < rows; r++)
            cells[r + 1] = t.Columns.Select(c => c.IsNull(r) ? "" : c.FormatCell(r)).ToArray();
        for (var r = 0; r <= rows; r++)
            for (var c = 0; c < cells[r].Length; c++)
                if (cells[r][c].Length > maxCellWidth) cells[r][c] = cells[r][c][..(maxCellWidth - 1)] + "…";
        var widths = Enumerable.Range(0, t.ColumnCount).Select(c => cells.Max(row => row[c].Length)).ToArray();
        var sb = new StringBuilder();
        // not print's line again: the grid's header names the columns
        sb.Append(name).Append(": ").Append(t.ColumnCount == 0 ? Count(t.RowCount, "row") + ", no columns"
            : rows < t.RowCount ? string.Create(CultureInfo.InvariantCulture, $"first {rows} of {t.RowCount} rows")
            : t.RowCount == 0 ? "no rows" : t.RowCount == 1 ? "1 row" : string.Create(CultureInfo.InvariantCulture, $"all {t.RowCount} rows")).Append('\n');
        if (t.ColumnCount == 0) return sb.ToString().TrimEnd('\n');
        for (var r = 0; r <= rows; r++)
        {
            sb.Append(string.Join("  ", cells[r].Select((v, c) => IsNumeric(t.Columns[c]) && r > 0 ? v.PadLeft(widths[c]) : v.PadRight(widths[c]))).TrimEnd());
            sb.Append('\n');
            if (r == 0) sb.Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
        }
        if (t.RowCount > rows)
            sb.Append("… ").Append(Count(t.RowCount - rows, "more row")).Append('\n');
        return sb.ToString().TrimEnd('\n');
    }

    private static string Count(int n, string what) =>
        n == 1 ? $"1 {what}" : string.Create(CultureInfo.InvariantCulture, $"{n} {what}s");

    private static bool IsNumeric(Column c) => c.Field.DataType is not (DataType.Char or DataType.UnicodeChar or DataType.Boolean);
}

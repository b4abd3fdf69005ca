using VoScript.Engine.Model.Ucds;
using VoScript.Engine.Science.Interop;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Photometry;
using VoScript.Engine.Science.Plotting;
using VoScript.Engine.Science.Selection;
using VoScript.Engine.Science.Sky;
using VoScript.Engine.Model;

namespace VoScript.Engine.Runtime.Modules;

/// <summary>What the science handlers need from the host (given through <c>VoScriptHostOptions.Ask</c>).</summary>
internal sealed class ScienceHandlerOptions
{
    /// <summary>
    /// Asks the user about one object for <c>select … interactively</c>; null when the host has
    /// no terminal (CI, a pipe), and the step then fails with a message suggesting <c>select … where</c>.
    /// </summary>
    public Func<ObjectView, Choice>? Ask { get; init; }
}

/// <summary>
/// Runs the interop repairs (<see cref="Repairs"/>) on a table that arrives from a service or a
/// file. Each repair leaves at most one warning on the table, which the run summary reports.
/// </summary>
internal static class Arrival
{
    public static Table Repair(Table table)
    {
        Repairs.Apply(table);
        return table;
    }
}

internal sealed class ClusterHandler : StepHandler<ClusterStep>
{
    public override Task ExecuteAsync(ClusterStep c, StepContext context, CancellationToken cancellationToken)
    {
        var tables = c.Tables.Select(n =>
        {
            var t = context.Workspace.GetTable(n);
            // source_table says the script's name for the table
            if (t.Name == n) return t;
            var named = new Table(n);
            foreach (var col in t.Columns) named.AddColumn(col);
            named.Warnings.AddRange(t.Warnings);
            return named;
        }).ToList();
        var result = Clustering.Run(tables, c.LinkDegrees, c.Output, cancellationToken);
        context.Workspace.SetTable(c.Output, result);
        var groups = Clustering.GroupCount(result);
        context.Progress($"{c.Output}: {groups} groups from {result.RowCount} rows", rows: result.RowCount);
        return Task.CompletedTask;
    }
}

internal sealed class SedHandler : StepHandler<SedStep>
{
    public override Task ExecuteAsync(SedStep s, StepContext context, CancellationToken cancellationToken)
    {
        var result = SedBuilder.Build(context.Workspace.GetTable(s.Table), s.Output);
        context.Workspace.SetTable(s.Output, result);
        context.Progress($"{s.Output}: {result.RowCount} photometric points", rows: result.RowCount);
        return Task.CompletedTask;
    }
}

internal sealed class PlotHandler : StepHandler<PlotStep>
{
    public override Task ExecuteAsync(PlotStep p, StepContext context, CancellationToken cancellationToken)
    {
        var r = Plotter.Plot(context.Workspace.GetTable(p.Table), context.ResolvePath(p.Path),
            new PlotOptions { X = p.X, Y = p.Y, Title = p.Title });
        var what = r.Kind switch
        {
            PlotKind.Sed => r.Panels > 1 ? $"SEDs of {r.Series} objects in {r.Panels} panels" : $"SEDs of {r.Series} objects",
            PlotKind.Sky => "sky positions",
            _ => $"{r.YLabel} against {r.XLabel}",
        };
        context.Progress($"plotted {what} to {p.Path}");
        return Task.CompletedTask;
    }
}

internal sealed class SelectHandler : StepHandler<SelectStep>
{
    public override Task ExecuteAsync(SelectStep s, StepContext context, CancellationToken cancellationToken)
    {
        var input = context.Workspace.GetTable(s.Table);
        var result = Selector.Where(input, s.Condition, s.Output);
        context.Workspace.SetTable(s.Output, result);
        context.Progress($"{s.Output}: {result.RowCount} of {input.RowCount} rows", rows: result.RowCount);
        return Task.CompletedTask;
    }
}

internal sealed class SelectInteractivelyHandler(ScienceHandlerOptions options) : StepHandler<SelectInteractivelyStep>
{
    public override Task ExecuteAsync(SelectInteractivelyStep s, StepContext context, CancellationToken cancellationToken)
    {
        if (options.Ask is not { } ask) throw new VoScriptException(ObjectView.NoTerminalMessage);
        var input = context.Workspace.GetTable(s.Table);
        var result = InteractiveSelector.Run(input, v =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ask(v);
        }, s.Output);
        context.Workspace.SetTable(s.Output, result);
        context.Progress($"{s.Output}: {result.RowCount} of {input.RowCount} rows kept", rows: result.RowCount);
        return Task.CompletedTask;
    }
}

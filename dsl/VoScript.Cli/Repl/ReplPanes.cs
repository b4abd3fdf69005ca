using VoScript.Engine.Runtime;

namespace VoScript.Cli.Repl;

/// <summary>
/// What the REPL's panes say, computed from the session alone (no views): the workspace pane's lines with what each
/// line acts on, and the status line. <see cref="ReplApp"/> puts them on the screen.
/// </summary>
internal static class ReplPanes
{
    /// <summary>
    /// The workspace pane's lines: running jobs (each line's target the <see cref="RunningStep"/>, which <c>c</c> cancels),
    /// tables (target the table's name: Enter shows, <c>s</c> saves, <c>t</c> sends), values and services; headings have no target.
    /// </summary>
    public static List<(string Text, object? Target)> WorkspaceItems(ReplSession session)
    {
        var items = new List<(string Text, object? Target)>();
        var w = session.Workspace;
        var running = session.Running;
        if (running.Count > 0)
        {
            items.Add(("jobs (c cancels)", null));
            foreach (var r in running)
                items.Add(($" {r.Name} {r.Phase} {ReplSession.Elapsed(DateTimeOffset.Now - r.Started)}" + (r.Rows is { } n ? $" {n} rows" : ""), r));
        }
        var tables = w.TableNames;
        if (tables.Count > 0)
        {
            items.Add(("tables (Enter shows, s saves, t sends)", null));
            var sources = session.Names.Where(n => n.Kind == NameKind.Table).ToDictionary(n => n.Name, n => n.Detail, StringComparer.Ordinal);
            foreach (var name in tables)
                if (w.TryGetTable(name, out var t))
                {
                    items.Add(($" {name} {t.RowCount}×{t.ColumnCount}", name));
                    if (sources.TryGetValue(name, out var source)) items.Add(($"   {Source(source)}", name));
                }
        }
        var values = session.Names.Where(n => n.Kind is NameKind.Value or NameKind.Parameter).ToList();
        if (values.Count > 0)
        {
            items.Add(("values", null));
            foreach (var v in values) items.Add(($" {v.Name} = {(w.TryGetValue(v.Name, out var pv) ? pv.ToDisplay() : v.Detail)}{(v.Kind == NameKind.Parameter ? " (param)" : "")}", null));
        }
        var services = session.Names.Where(n => n.Kind is NameKind.Service or NameKind.ServiceSet).ToList();
        if (services.Count > 0)
        {
            items.Add(("services", null));
            foreach (var s in services) items.Add(($" {s.Name} {s.Detail}", null));
        }
        if (items.Count == 0) items.Add(("(empty)", null));
        return items;
    }

    /// <summary>The status line: running, queued, background jobs or ready, and the keys to remember.</summary>
    public static string Status(ReplSession session, int queued)
    {
        var running = session.Running;
        var state = session.Busy || queued > 0 ? "running… (Ctrl-C cancels)" + (queued > 1 ? $", {queued - 1} waiting" : "")
            : running.Count > 0 ? $"{running.Count} job(s) in the background" : "ready";
        return $" {state} | F6 panes  :help  Ctrl-Q quit";
    }

    private static string Source(string describe)
    {
        // "load "x.vot" as t" → "load "x.vot""; "query svc sync as t" → "query svc sync"
        var i = describe.LastIndexOf(" as ", StringComparison.Ordinal);
        return i > 0 ? describe[..i] : describe;
    }
}

using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Compiling;

/// <summary>
/// Pass 3, awaits: the result of an async query can be used only after an
/// <c>await</c> names it (or <c>await all</c>). The error says which line to add.
/// Also: awaiting something that is not async, awaiting twice, never awaiting.
/// </summary>
internal static class AwaitPass
{
    /// <summary>For each async result, the first await statement that names it.</summary>
    public static Dictionary<string, AwaitStatement> Run(Script script, SymbolTable symbols, List<Diagnostic> diagnostics, CSharpAnalysis? csharp = null)
    {
        var pending = new Dictionary<string, Identifier>(StringComparer.Ordinal); // async results not yet awaited
        var awaitedBy = new Dictionary<string, AwaitStatement>(StringComparer.Ordinal);
        foreach (var statement in script.Statements)
        {
            foreach (var use in SyntaxWalk.TablesRead(statement, symbols, csharp))
                if (pending.TryGetValue(use.Text, out var definition))
                    diagnostics.Add(Diagnostic.Error(use.Span, DiagnosticCodes.NotAwaited,
                        $"'{use.Text}' comes from an async query (line {definition.Span.Line}) that is not awaited yet: "
                        + $"add 'await {use.Text}' before line {use.Span.Line}"));

            if (statement is AwaitStatement a)
            {
                var names = a.All is not null ? pending.Keys.ToList() : a.Names.Select(n => n.Text).ToList();
                if (a.All is not null && names.Count == 0)
                    diagnostics.Add(Diagnostic.Warning(a.All.Span, DiagnosticCodes.NotAsync,
                        "'await all' has nothing to wait for here: no async query above is still unawaited"));
                foreach (var n in a.Names)
                {
                    var symbol = symbols.Find(n.Text);
                    if (symbol is null || symbol.Kind != SymbolKind.Table) continue; // reported by the name pass
                    if (awaitedBy.TryGetValue(n.Text, out var earlier))
                        diagnostics.Add(Diagnostic.Warning(n.Span, DiagnosticCodes.AwaitedTwice,
                            $"'{n.Text}' is already awaited on line {earlier.Span.Line}; this await does nothing for it"));
                    else if (!symbol.IsAsyncResult)
                        diagnostics.Add(Diagnostic.Warning(n.Span, DiagnosticCodes.NotAsync,
                            $"'{n.Text}' is not the result of an async query (line {symbol.Definition.Span.Line}), so there is nothing to await"));
                }
                foreach (var n in names)
                {
                    if (pending.Remove(n)) awaitedBy[n] = a;
                }
            }

            foreach (var symbol in symbols.All.Where(s => s.IsAsyncResult && ReferenceEquals(s.Statement, statement)))
                pending[symbol.Name] = symbol.Definition;
        }
        foreach (var (name, definition) in pending)
            diagnostics.Add(Diagnostic.Warning(definition.Span, DiagnosticCodes.NeverAwaited,
                $"'{name}' is never awaited; the run waits for it at the end (add 'await {name}' where you need it)"));
        return awaitedBy;
    }
}

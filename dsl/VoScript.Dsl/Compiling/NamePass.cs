using VoScript.Dsl.CSharp;
using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Syntax;
using VoScript.Engine;
using VoScript.Engine.Runtime;

namespace VoScript.Dsl.Compiling;

/// <summary>
/// Pass 1, names: every name is defined once, before it is used, and used as
/// the kind of thing it is (a table where a table is needed, a TAP service for
/// a query, …). Near misses get "did you mean".
/// </summary>
internal static class NamePass
{
    public static SymbolTable Run(Script script, List<Diagnostic> diagnostics, CSharpAnalysis? csharp = null)
    {
        var symbols = new SymbolTable();
        var definedLater = new Dictionary<string, Identifier>(StringComparer.Ordinal);
        foreach (var s in script.Statements)
            foreach (var (id, _) in Defines(s, 0, csharp))
                definedLater.TryAdd(id.Text, id);

        var order = 0;
        foreach (var statement in script.Statements)
        {
            foreach (var (id, kind, allowed) in References(statement))
                Check(id, kind, allowed, symbols, definedLater, diagnostics);
            foreach (var (id, symbol) in Defines(statement, order++, csharp))
            {
                if (symbols.TryGet(id.Text, out var previous))
                    diagnostics.Add(Diagnostic.Error(id.Span, DiagnosticCodes.DuplicateName,
                        $"'{id.Text}' is already defined on line {previous.Definition.Span.Line}; choose another name"));
                else symbols.Add(symbol);
            }
        }
        return symbols;
    }

    /// <summary>The names a statement defines (its module's rules say which).</summary>
    internal static IEnumerable<(Identifier Id, Symbol Symbol)> Defines(Statement s, int order, CSharpAnalysis? csharp) =>
        StatementRulesCatalog.For(s).Defines(s, order, csharp).Select(symbol => (symbol.Definition, symbol));

    /// <summary>Each name a statement uses, the kind it must be, and (for services) the protocols that fit.</summary>
    private static IEnumerable<(Identifier Id, SymbolKind Kind, ServiceProtocol[]? Allowed)> References(Statement s) =>
        StatementRulesCatalog.For(s).Uses(s).Select(u => (u.Id, u.Kind, u.Allowed));

    private static void Check(Identifier id, SymbolKind kind, ServiceProtocol[]? allowed, SymbolTable symbols,
        Dictionary<string, Identifier> definedLater, List<Diagnostic> diagnostics)
    {
        // "print NAME" accepts a value or a table: signalled by an empty allowed list.
        var valueOrTable = kind == SymbolKind.Value && allowed is { Length: 0 };
        if (symbols.TryGet(id.Text, out var symbol))
        {
            if (symbol.IsRuntimeValue && kind == SymbolKind.Value && !valueOrTable)
            {
                diagnostics.Add(Diagnostic.Error(id.Span, DiagnosticCodes.CSharpRuntimeValue,
                    $"'{id.Text}' is {symbol.MadeBy ?? "a value made"} on line {symbol.Statement.Span.Line}, known only when the script runs; "
                    + "use it in 'print' or in a later csharp block"));
                return;
            }
            if (symbol.Kind == kind || (valueOrTable && symbol.Kind == SymbolKind.Table))
            {
                if (kind == SymbolKind.Service && allowed is { Length: > 0 } && symbol.Protocol is { } sk && !allowed.Contains(sk))
                    diagnostics.Add(Diagnostic.Error(id.Span, DiagnosticCodes.ServiceMismatch,
                        $"'{id.Text}' is {symbol.Describe()} (line {symbol.Definition.Span.Line}); this statement needs "
                        + AllowedKinds(allowed) + " service"));
                return;
            }
            diagnostics.Add(Diagnostic.Error(id.Span, DiagnosticCodes.WrongKindOfName,
                $"'{id.Text}' is {symbol.Describe()} (line {symbol.Definition.Span.Line}), not a {(valueOrTable ? "value or table" : Symbol.KindWord(kind))}"));
            return;
        }
        if (definedLater.TryGetValue(id.Text, out var later))
        {
            diagnostics.Add(Diagnostic.Error(id.Span, DiagnosticCodes.UsedBeforeDefinition,
                $"'{id.Text}' is used before it is defined on line {later.Span.Line}; move the definition above this line"));
            return;
        }
        var candidates = symbols.All.Where(s => s.Kind == kind || (valueOrTable && s.Kind == SymbolKind.Table)).Select(s => s.Name);
        var hint = Suggestions.DidYouMean(id.Text, candidates);
        var (code, what, howTo) = kind switch
        {
            SymbolKind.Table when valueOrTable => (DiagnosticCodes.UnknownValue, "name", ""),
            SymbolKind.Table => (DiagnosticCodes.UnknownTable, "table", ""),
            SymbolKind.Service => (DiagnosticCodes.UnknownService, "service", $"; define it first, e.g. service {id.Text} = tap \"https://…\""),
            SymbolKind.ServiceSet => (DiagnosticCodes.UnknownTable, "service set", $"; make one with: find services tap … as {id.Text}"),
            _ when valueOrTable => (DiagnosticCodes.UnknownValue, "name", ""),
            _ => (DiagnosticCodes.UnknownValue, "value", $"; define it first with let {id.Text} = …"),
        };
        diagnostics.Add(Diagnostic.Error(id.Span, code, $"unknown {what} '{id.Text}'" + (hint.Length > 0 ? hint : howTo)));
    }

    private static string AllowedKinds(ServiceProtocol[] allowed) =>
        "a " + string.Join(" or ", allowed.Select(ServiceProtocols.Name));
}

using VoScript.Dsl.CSharp;
using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Plans;

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

    /// <summary>The names a statement defines; a csharp block's result is a table or a value as its compiled form says.</summary>
    internal static IEnumerable<(Identifier Id, Symbol Symbol)> Defines(Statement s, int order, CSharpAnalysis? csharp) => s switch
    {
        CSharpStatement { Output: { } o } cs => [(o, csharp?.Of(cs) is null or { Compiled: false } or { Kind: CSharpResultKind.Table }
            ? new Symbol(o.Text, SymbolKind.Table, o, s, order)
            : new Symbol(o.Text, SymbolKind.Value, o, s, order) { IsRuntimeValue = true })],
        ParamStatement p => [(p.Name, new Symbol(p.Name.Text, SymbolKind.Value, p.Name, s, order) { IsParam = true })],
        LetStatement l => [(l.Name, new Symbol(l.Name.Text, SymbolKind.Value, l.Name, s, order))],
        ServiceStatement sv => [(sv.Name, new Symbol(sv.Name.Text, SymbolKind.Service, sv.Name, s, order)
            { ServiceProtocol = Enum.Parse<ServiceProtocol>(sv.Kind.Text, ignoreCase: true) })],
        QueryStatement q => [(q.Output, new Symbol(q.Output.Text, SymbolKind.Table, q.Output, s, order) { IsAsyncResult = q.IsAsync })],
        QueryEachStatement q => [(q.Output, new Symbol(q.Output.Text, SymbolKind.Table, q.Output, s, order) { IsAsyncResult = q.IsAsync })],
        PositionSearchStatement p => [(p.Output, new Symbol(p.Output.Text, SymbolKind.Table, p.Output, s, order))],
        FindServicesStatement f => [(f.Output, new Symbol(f.Output.Text, SymbolKind.ServiceSet, f.Output, s, order))],
        LoadStatement l => [(l.Output, new Symbol(l.Output.Text, SymbolKind.Table, l.Output, s, order))],
        ClusterStatement c => [(c.Output, new Symbol(c.Output.Text, SymbolKind.Table, c.Output, s, order))],
        SedStatement sd => [(sd.Output, new Symbol(sd.Output.Text, SymbolKind.Table, sd.Output, s, order))],
        SelectWhereStatement sw => [(sw.Output, new Symbol(sw.Output.Text, SymbolKind.Table, sw.Output, s, order))],
        SelectInteractivelyStatement si => [(si.Output, new Symbol(si.Output.Text, SymbolKind.Table, si.Output, s, order))],
        ReceiveStatement r => [(r.Output, new Symbol(r.Output.Text, SymbolKind.Table, r.Output, s, order))],
        RunStatement { Output: { } o } => [(o, new Symbol(o.Text, SymbolKind.Table, o, s, order))],
        _ => [],
    };

    /// <summary>Each name a statement uses, the kind it must be, and (for services) the protocols that fit.</summary>
    private static IEnumerable<(Identifier Id, SymbolKind Kind, ServiceProtocol[]? Allowed)> References(Statement s)
    {
        static IEnumerable<(Identifier, SymbolKind, ServiceProtocol[]?)> Values(params Expression?[] es) =>
            es.SelectMany(SyntaxWalk.Names).Select(n => (n, SymbolKind.Value, (ServiceProtocol[]?)null));
        static (Identifier, SymbolKind, ServiceProtocol[]?) Table(Identifier id) => (id, SymbolKind.Table, null);

        return s switch
        {
            ParamStatement p => Values(p.Value),
            LetStatement l => Values(l.Value),
            // print takes a value or, when it is just a name, a table
            PrintStatement { Value: NameReference n } => [(n.Name, SymbolKind.Value, [])],
            PrintStatement p => Values(p.Value),
            ServiceStatement sv => Values(sv.Url),
            QueryStatement q => new[] { (q.Service, SymbolKind.Service, (ServiceProtocol[]?)[ServiceProtocol.Tap]) }
                .Concat(Values(q.Clauses.MaxRec)).Concat(q.Clauses.Uploads.Select(u => Table(u.Table)))
                .Concat(Values(SyntaxWalk.Holes(q.Adql).ToArray())),
            QueryEachStatement q => new[] { (q.ServiceSet, SymbolKind.ServiceSet, (ServiceProtocol[]?)null) }
                .Concat(Values(q.Clauses.MaxRec)).Concat(q.Clauses.Uploads.Select(u => Table(u.Table)))
                .Concat(Values(SyntaxWalk.Holes(q.Adql).ToArray())),
            AwaitStatement a => a.Names.Select(Table),
            PositionSearchStatement p => new[] { (p.Service, SymbolKind.Service, (ServiceProtocol[]?)[SearchProtocol(p.Search)]) }
                .Concat(Values(p.Ra, p.Dec, p.Radius, p.MaxRec)),
            FindServicesStatement f => (f.Registry is null ? [] : new[] { (f.Registry, SymbolKind.Service, (ServiceProtocol[]?)[ServiceProtocol.Registry, ServiceProtocol.Tap]) })
                .Concat(Values(f.WithTable)).Concat(Values(f.Keywords.ToArray())),
            LoadStatement l => Values(l.File),
            SaveStatement sv => new[] { Table(sv.Table) }.Concat(Values(sv.File)),
            ShowStatement sh => new[] { Table(sh.Table) }.Concat(Values(sh.Limit)),
            ClusterStatement c => c.Tables.Select(Table).Concat(Values(c.Within)),
            SedStatement sd => [Table(sd.Table)],
            PlotStatement pl => new[] { Table(pl.Table) }.Concat(Values(pl.File, pl.Title)),
            SelectWhereStatement sw => [Table(sw.Table)],
            SelectInteractivelyStatement si => [Table(si.Table)],
            SendStatement sd => sd.Tables.Select(Table),
            ReceiveStatement r => Values(r.Timeout),
            PointStatement pt => Values(pt.Ra, pt.Dec),
            // an argument that is just a name may be a value or a table (like print)
            RunStatement r => r.Arguments.SelectMany(a => a.Value is NameReference n
                ? [(n.Name, SymbolKind.Value, (ServiceProtocol[]?)[])]
                : Values(a.Value)),
            _ => [],
        };
    }

    public static ServiceProtocol SearchProtocol(PositionSearch search) => search switch
    {
        PositionSearch.Cone => ServiceProtocol.Scs,
        PositionSearch.Images => ServiceProtocol.Sia,
        _ => ServiceProtocol.Ssa,
    };

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
                    $"'{id.Text}' is the result of the csharp block on line {symbol.Statement.Span.Line}, known only when the script runs; "
                    + "use it in 'print' or in a later csharp block"));
                return;
            }
            if (symbol.Kind == kind || (valueOrTable && symbol.Kind == SymbolKind.Table))
            {
                if (kind == SymbolKind.Service && allowed is { Length: > 0 } && symbol.ServiceProtocol is { } sk && !allowed.Contains(sk))
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

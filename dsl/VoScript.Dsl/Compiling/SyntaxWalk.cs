using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Compiling;

/// <summary>Which names a statement defines and which it reads (shared by the passes).</summary>
internal static class SyntaxWalk
{
    /// <summary>Value names referenced inside an expression, in order.</summary>
    public static IEnumerable<Identifier> Names(Expression? e) => e switch
    {
        NameReference n => [n.Name],
        BinaryExpression b => Names(b.Left).Concat(Names(b.Right)),
        NegateExpression n => Names(n.Operand),
        ListLiteral l => l.Items.SelectMany(Names),
        AdqlExpression a => Holes(a.Block).SelectMany(Names),
        _ => [],
    };

    /// <summary>The arguments of a <c>run</c> statement that name tables.</summary>
    public static IEnumerable<RunArgument> TableArguments(RunStatement r, SymbolTable symbols) =>
        r.Arguments.Where(a => a.Value is NameReference n && symbols.Find(n.Name.Text)?.Kind == SymbolKind.Table);

    public static IEnumerable<Expression> Holes(AdqlBlock block) => block.Parts.OfType<AdqlHole>().Select(h => h.Value);

    /// <summary>The tables a statement reads (uploads, saves, shows, a printed table, …), as its module's rules say.</summary>
    public static IEnumerable<Identifier> TablesRead(Statement s, SymbolTable symbols, CSharpAnalysis? csharp = null) =>
        StatementRulesCatalog.For(s).TablesRead(s, symbols, csharp);
}

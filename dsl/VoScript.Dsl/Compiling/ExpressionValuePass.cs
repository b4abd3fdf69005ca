using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Runtime;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;

namespace VoScript.Dsl.Compiling;

/// <summary>
/// Pass 2b, values in expressions: a name in <c>select … where</c>, <c>derive</c> or <c>group</c> that a
/// <c>param</c> or <c>let</c> defined earlier in the script stands for its value (<c>mag &lt; limit</c>), with
/// its unit (angles in deg, durations in s). Every other name stays a column. The value keeps the name it
/// was written as: when the table the expression runs on has a column of that name, the column wins (the
/// checker and the evaluator decide, since a file's or a service's columns are known only at run time).
/// </summary>
internal static class ExpressionValuePass
{
    public static Script Run(Script script, SymbolTable symbols, ValueTable values, string text, List<Diagnostic> diagnostics)
    {
        if (!script.Statements.Any(s => s is IHasExpressions)) return script;
        var statements = script.Statements
            .Select(s => s is IHasExpressions h ? h.MapExpressions(e => Substitute(e, s, symbols, values, text, diagnostics)) : s)
            .ToList();
        return script with { Statements = statements };
    }

    private static Expr Substitute(Expr e, Statement at, SymbolTable symbols, ValueTable values, string text, List<Diagnostic> diagnostics) => e switch
    {
        ColumnRef c => (Expr?)Value(c, at, symbols, values, text, diagnostics) ?? c,
        Unary u => u with { Operand = Substitute(u.Operand, at, symbols, values, text, diagnostics) },
        Binary b => b with
        {
            Left = Substitute(b.Left, at, symbols, values, text, diagnostics),
            Right = Substitute(b.Right, at, symbols, values, text, diagnostics),
        },
        Call call => call with { Args = call.Args.Select(a => Substitute(a, at, symbols, values, text, diagnostics)).ToList() },
        _ => e,
    };

    /// <summary>The literal a param or let name stands for, or null when the name is a column.</summary>
    private static Literal? Value(ColumnRef c, Statement at, SymbolTable symbols, ValueTable values, string text, List<Diagnostic> diagnostics)
    {
        if (symbols.Find(c.Name) is not { Kind: SymbolKind.Value } symbol || symbol.Statement.Span.Start >= at.Span.Start) return null;
        var span = ColumnPass.ToSource(c.Span, at.Span, text);
        if (symbol.IsRuntimeValue)
        {
            diagnostics.Add(Diagnostic.Error(span, DiagnosticCodes.CSharpRuntimeValue,
                $"'{c.Name}' is {symbol.MadeBy ?? "a value made when the script runs"}, known only when the script runs; expressions can use param and let values"));
            return null;
        }
        if (!values.ByName.TryGetValue(c.Name, out var value)) return null; // its own definition has an error, reported there
        switch (value)
        {
            case NumberValue n:
                var whole = n.Quantity == Quantity.Number && Math.Abs(n.Value) < 9e15 && n.Value == Math.Floor(n.Value);
                return new Literal(whole ? (object)(long)n.Value : n.Value)
                {
                    Span = c.Span,
                    Name = c.Name,
                    Unit = n.Quantity switch { Quantity.Angle => "deg", Quantity.Duration => "s", _ => null },
                };
            case StringValue s:
                return new Literal(s.Value) { Span = c.Span, Name = c.Name };
            default:
                diagnostics.Add(Diagnostic.Error(span, DiagnosticCodes.BadCondition,
                    $"'{c.Name}' is a list ({value.ToDisplay()}); an expression takes one number or string"));
                return null;
        }
    }
}

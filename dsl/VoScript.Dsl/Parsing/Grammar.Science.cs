using System.Globalization;
using Sprache;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Selection;

namespace VoScript.Dsl.Parsing;

internal static partial class Grammar
{
    internal static Parser<Statement> ClusterStatement =>
        from kw in Lexemes.Keyword("cluster")
        from first in Lexemes.Name("a table name")
        from rest in (from comma in Lexemes.Symbol(',') from n in Lexemes.Name("a table name") select n).Many()
        from within in Lexemes.Keyword("within")
        from angle in Expr
        from @as in Lexemes.Keyword("as")
        from name in Lexemes.Name("a table name")
        select (Statement)new ClusterStatement(SourceSpan.Cover(kw.Span, name.Span), [first, .. rest], angle, name);

    internal static Parser<Statement> SedStatement =>
        from kw in Lexemes.Keyword("sed")
        from table in Lexemes.Name("a table name")
        from @as in Lexemes.Keyword("as")
        from name in Lexemes.Name("a table name")
        select (Statement)new SedStatement(SourceSpan.Cover(kw.Span, name.Span), table, name);

    internal static Parser<Statement> PlotStatement =>
        from kw in Lexemes.Keyword("plot")
        from table in Lexemes.Name("a table name")
        from file in (from to in Lexemes.Keyword("to") from f in Expr select f).XOptional()
        from axes in (from x in Lexemes.Keyword("x") from xc in Lexemes.ColumnName("a column name")
                      from y in Lexemes.Keyword("y") from yc in Lexemes.ColumnName("a column name")
                      select (X: xc, Y: yc)).XOptional()
        from title in (from t in Lexemes.Keyword("title") from e in Expr select e).XOptional()
        select (Statement)new PlotStatement(
            SourceSpan.Cover(kw.Span, title.IsDefined ? title.Get().Span : axes.IsDefined ? axes.Get().Y.Span : file.IsDefined ? file.Get().Span : table.Span),
            table, file.GetOrDefault(), axes.IsDefined ? axes.Get().X : null, axes.IsDefined ? axes.Get().Y : null, title.GetOrDefault());

    internal static Parser<Statement> SelectStatement =>
        from kw in Lexemes.Keyword("select")
        from table in Lexemes.Name("a table name")
        from statement in
            (from whereKw in Lexemes.Keyword("where")
             from condition in Condition
             from @as in Lexemes.Keyword("as")
             from name in Lexemes.Name("a table name")
             select (Statement)new SelectWhereStatement(SourceSpan.Cover(kw.Span, name.Span), table, condition.Expr, condition.Span, name))
            .Or(from inter in Lexemes.Keyword("interactively")
                from @as in Lexemes.Keyword("as")
                from name in Lexemes.Name("a table name")
                select (Statement)new SelectInteractivelyStatement(SourceSpan.Cover(kw.Span, name.Span), table, inter, name))
            .Or(input => Lexemes.Fail<Statement>(input, "'where'", "'interactively'"))
        select statement;

    /// <summary>An expression over columns (<c>derive</c>, <c>group</c>), with its span in the script.</summary>
    internal static Parser<(Expr Expr, SourceSpan Span)> ExpressionWithSpan => Condition;

    /// <summary>A condition over columns (<c>select … where</c>), parsed into the engine's selection model.</summary>
    private static readonly Parser<(Expr Expr, SourceSpan Span)> Condition = input =>
    {
        var start = Lexemes.SkipInline(input);
        var r = ConditionParser.Or(input);
        return r.WasSuccessful
            ? Result.Success((r.Value, Lexemes.Span(start, r.Remainder)), r.Remainder)
            : Result.Failure<(Expr, SourceSpan)>(r.Remainder, r.Message, r.Expectations);
    };

    /// <summary>
    /// Recursive descent for conditions: <c>or</c> &lt; <c>and</c> &lt; <c>not</c> &lt; comparison
    /// (<c>= == != &lt;&gt; &lt; &lt;= &gt; &gt;=</c>) &lt; <c>+ -</c> &lt; <c>* /</c> &lt; unary minus &lt;
    /// numbers, strings, <c>true false null</c>, <c>f(args)</c>, column names and parentheses.
    /// Spans are offsets in the script text.
    /// </summary>
    private static class ConditionParser
    {
        private static ExprSpan SpanOf(IInput from, IInput to) => new(from.Position, to.Position - from.Position);

        private static ExprSpan Cover(Expr a, Expr b) =>
            a.Span is { } x && b.Span is { } y ? new ExprSpan(x.Start, y.Start + y.Length - x.Start) : a.Span ?? b.Span ?? default;

        /// <summary>The word at the input if it is exactly <paramref name="word"/>, and what follows it.</summary>
        private static IInput? Word(IInput input, string word)
        {
            var i = Lexemes.SkipInline(input);
            var (w, after) = Lexemes.ReadWord(i);
            return w == word ? after : null;
        }

        public static IResult<Expr> Or(IInput input) => Chain(input, And, "or", BinaryOp.Or);

        private static IResult<Expr> And(IInput input) => Chain(input, Not, "and", BinaryOp.And);

        private static IResult<Expr> Chain(IInput input, Func<IInput, IResult<Expr>> operand, string word, BinaryOp op)
        {
            var left = operand(input);
            if (!left.WasSuccessful) return left;
            var e = left.Value;
            var rest = left.Remainder;
            while (Word(rest, word) is { } after)
            {
                var right = operand(after);
                if (!right.WasSuccessful) return right;
                e = new Binary(op, e, right.Value) { Span = Cover(e, right.Value) };
                rest = right.Remainder;
            }
            return Result.Success(e, rest);
        }

        private static IResult<Expr> Not(IInput input)
        {
            var start = Lexemes.SkipInline(input);
            if (Word(input, "not") is { } after)
            {
                var operand = Not(after);
                if (!operand.WasSuccessful) return operand;
                return Result.Success<Expr>(new Unary(UnaryOp.Not, operand.Value) { Span = SpanOf(start, operand.Remainder) }, operand.Remainder);
            }
            return Comparison(input);
        }

        private static (BinaryOp Op, IInput After)? ComparisonOperator(IInput input)
        {
            var i = Lexemes.SkipInline(input);
            if (i.AtEnd) return null;
            var c = i.Current;
            var next = Lexemes.Next(i);
            return (c, next) switch
            {
                ('=', '=') => (BinaryOp.Equal, i.Advance().Advance()),
                ('=', _) => (BinaryOp.Equal, i.Advance()),
                ('!', '=') => (BinaryOp.NotEqual, i.Advance().Advance()),
                ('<', '>') => (BinaryOp.NotEqual, i.Advance().Advance()),
                ('<', '=') => (BinaryOp.LessOrEqual, i.Advance().Advance()),
                ('<', _) => (BinaryOp.Less, i.Advance()),
                ('>', '=') => (BinaryOp.GreaterOrEqual, i.Advance().Advance()),
                ('>', _) => (BinaryOp.Greater, i.Advance()),
                _ => null,
            };
        }

        private static IResult<Expr> Comparison(IInput input)
        {
            var left = Additive(input);
            if (!left.WasSuccessful || ComparisonOperator(left.Remainder) is not { } op) return left;
            var right = Additive(op.After);
            if (!right.WasSuccessful) return right;
            return Result.Success<Expr>(new Binary(op.Op, left.Value, right.Value) { Span = Cover(left.Value, right.Value) }, right.Remainder);
        }

        private static IResult<Expr> Additive(IInput input) => Arithmetic(input, Multiplicative, '+', BinaryOp.Add, '-', BinaryOp.Subtract);

        private static IResult<Expr> Multiplicative(IInput input) => Arithmetic(input, Unary, '*', BinaryOp.Multiply, '/', BinaryOp.Divide);

        private static IResult<Expr> Arithmetic(IInput input, Func<IInput, IResult<Expr>> operand, char c1, BinaryOp op1, char c2, BinaryOp op2)
        {
            var left = operand(input);
            if (!left.WasSuccessful) return left;
            var e = left.Value;
            var rest = left.Remainder;
            while (true)
            {
                var i = Lexemes.SkipInline(rest);
                if (i.AtEnd || (i.Current != c1 && i.Current != c2)) break;
                var op = i.Current == c1 ? op1 : op2;
                var right = operand(i.Advance());
                if (!right.WasSuccessful) return right;
                e = new Binary(op, e, right.Value) { Span = Cover(e, right.Value) };
                rest = right.Remainder;
            }
            return Result.Success(e, rest);
        }

        private static IResult<Expr> Unary(IInput input)
        {
            var i = Lexemes.SkipInline(input);
            if (!i.AtEnd && i.Current == '-')
            {
                var operand = Unary(i.Advance());
                if (!operand.WasSuccessful) return operand;
                return Result.Success<Expr>(new Unary(UnaryOp.Negate, operand.Value) { Span = SpanOf(i, operand.Remainder) }, operand.Remainder);
            }
            return Primary(input);
        }

        /// <summary>
        /// A number, exact when it is a whole number (ids above 2^53), with an optional unit after it
        /// (<c>2 arcsec</c>, <c>2arcsec</c>, <c>18 mag</c>, <c>1 mJy</c>): one of the units expressions know.
        /// </summary>
        private static IResult<Expr> NumberWithUnit(IInput i)
        {
            var j = i;
            while (!j.AtEnd && (char.IsDigit(j.Current) || j.Current == '.')) j = j.Advance();
            if (!j.AtEnd && j.Current is 'e' or 'E')
            {
                var k = j.Advance();
                if (!k.AtEnd && k.Current is '+' or '-') k = k.Advance();
                if (!k.AtEnd && char.IsDigit(k.Current))
                {
                    while (!k.AtEnd && char.IsDigit(k.Current)) k = k.Advance();
                    j = k;
                }
            }
            var text = i.Source[i.Position..j.Position];
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                return Lexemes.FailWith<Expr>(i, "VOS0001", $"'{text}' is not a number");
            Expr literal = text.All(char.IsDigit) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var whole)
                ? new Literal(whole)
                : new Literal(value);
            var end = j;
            var attached = !j.AtEnd && Lexemes.IsWordStart(j.Current);
            var (word, after) = Lexemes.ReadWord(Lexemes.SkipInline(j));
            var next = Lexemes.SkipInline(after);
            if (word.Length > 0 && UnitTable.IsLiteralUnit(word) && (next.AtEnd || next.Current != '('))
            {
                literal = literal is Literal { Value: long w } ? new Literal((double)w) { Unit = word } : ((Literal)literal) with { Unit = word };
                end = after;
            }
            else if (attached)
                return Lexemes.FailWith<Expr>(j, "VOS0006", $"unknown unit '{word}' after {text}" + (Suggestions.Closest(word, UnitTable.LiteralUnits) is { } near
                    ? $" (did you mean '{near}'?)" : $": units in expressions are {string.Join(", ", UnitTable.LiteralUnits)}"));
            return Result.Success(literal with { Span = SpanOf(i, end) }, end);
        }

        private static IResult<Expr> Primary(IInput input)
        {
            var i = Lexemes.SkipInline(input);
            if (i.AtEnd) return Lexemes.Fail<Expr>(input, "a column, number or string");
            if (i.Current == '(')
            {
                var inner = Or(i.Advance());
                if (!inner.WasSuccessful) return inner;
                var close = Lexemes.SkipInline(inner.Remainder);
                if (close.AtEnd || close.Current != ')') return Lexemes.Fail<Expr>(inner.Remainder, "')'");
                return Result.Success(inner.Value with { Span = SpanOf(i, close.Advance()) }, close.Advance());
            }
            if (i.Current == '"')
            {
                var s = Lexemes.String(i);
                if (!s.WasSuccessful) return Result.Failure<Expr>(s.Remainder, s.Message, s.Expectations);
                return Result.Success<Expr>(new Literal(((StringLiteral)s.Value).Value) { Span = SpanOf(i, s.Remainder) }, s.Remainder);
            }
            if (char.IsDigit(i.Current) || i.Current == '.')
                return NumberWithUnit(i);
            if (i.Current == '`')
            {
                // a column whose name is not a word: `B-V`, `n obs`
                var quoted = Lexemes.Backquoted(i, "a column name");
                if (!quoted.WasSuccessful) return Result.Failure<Expr>(quoted.Remainder, quoted.Message, quoted.Expectations);
                return Result.Success<Expr>(new ColumnRef(quoted.Value.Text) { Span = SpanOf(i, quoted.Remainder) }, quoted.Remainder);
            }
            var (word, after) = Lexemes.ReadWord(i);
            if (word.Length == 0) return Lexemes.Fail<Expr>(input, "a column, number or string");
            // the words an expression reads as themselves (a column of that name needs backquotes: ScriptNames says which)
            if (VoScript.Engine.ScriptNames.ExpressionWords.Contains(word))
                return word switch
                {
                    "true" or "false" => Result.Success<Expr>(new Literal(word == "true") { Span = SpanOf(i, after) }, after),
                    "null" => Result.Success<Expr>(new Literal(null) { Span = SpanOf(i, after) }, after),
                    _ => Lexemes.Fail<Expr>(i, "a column, number or string"),
                };
            var open = Lexemes.SkipInline(after);
            if (!open.AtEnd && open.Current == '(')
            {
                var args = new List<Expr>();
                var j = Lexemes.SkipInline(open.Advance());
                if (!j.AtEnd && j.Current == ')')
                    return Result.Success<Expr>(new Call(word, args) { Span = SpanOf(i, j.Advance()) }, j.Advance());
                while (true)
                {
                    var arg = Or(j);
                    if (!arg.WasSuccessful) return arg;
                    args.Add(arg.Value);
                    j = Lexemes.SkipInline(arg.Remainder);
                    if (!j.AtEnd && j.Current == ',') { j = j.Advance(); continue; }
                    if (!j.AtEnd && j.Current == ')')
                        return Result.Success<Expr>(new Call(word, args) { Span = SpanOf(i, j.Advance()) }, j.Advance());
                    return Lexemes.Fail<Expr>(arg.Remainder, "','", "')'");
                }
            }
            return Result.Success<Expr>(new ColumnRef(word) { Span = SpanOf(i, after) }, after);
        }
    }
}

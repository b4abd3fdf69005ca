using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Tests;

[TestFixture]
public class ParserTests
{
    private static Script ParseOk(string text)
    {
        var r = ScriptParser.Parse(text, "t.vos");
        Assert.That(r.Diagnostics, Is.Empty, DiagnosticFormatter.FormatAll(r.Diagnostics, text));
        return r.Script;
    }

    [Test]
    public void StatementSpansCoverTheStatementExactly()
    {
        const string text = "# c\nlet  x = 6 arcmin   # trailing\n  print x\n";
        var s = ParseOk(text);
        var let = (LetStatement)s.Statements[0];
        Assert.That(text.Substring(let.Span.Start, let.Span.Length), Is.EqualTo("let  x = 6 arcmin"));
        Assert.That((let.Span.Line, let.Span.Column), Is.EqualTo((2, 1)));
        Assert.That(let.Span.File, Is.EqualTo("t.vos"));
        Assert.That((let.Name.Span.Line, let.Name.Span.Column, let.Name.Span.Length), Is.EqualTo((2, 6, 1)));
        var number = (NumberLiteral)let.Value;
        Assert.That(text.Substring(number.Span.Start, number.Span.Length), Is.EqualTo("6 arcmin"));
        Assert.That((number.Value, number.Unit), Is.EqualTo((6.0, "arcmin")));
        var print = (PrintStatement)s.Statements[1];
        Assert.That((print.Span.Line, print.Span.Column), Is.EqualTo((3, 3)));
    }

    private static readonly string[] QuirkyNames =
    [
        "mag", "_x1", "Étoile", "n obs", "B-V", "2MASS", "a.b", "x y z", "a\"b", "a`b", "and", "or", "not", "true", "false", "null", "as",
        "all", "each", "desc", "where", "with", "columns", "unit", "if", "count",
    ];

    /// <summary>The column a parsed name or expression means, or null when it is not a column.</summary>
    private static string? ParsedColumn(string text, Func<Script, object?> pick)
    {
        var r = ScriptParser.Parse(text, "t.vos");
        if (r.Diagnostics.Any(d => d.IsError)) return null;
        return pick(r.Script) switch
        {
            Identifier id => id.Text,
            VoScript.Engine.Science.Selection.ColumnRef c => c.Name,
            _ => null,
        };
    }

    private static string? InExpression(string written) => ParsedColumn($"select t where {written} > 1 as s\n",
        s => ((VoScript.Engine.Science.Selection.Binary)((SelectWhereStatement)s.Statements[0]).Condition).Left);

    private static string? InList(string written) => ParsedColumn($"keep t columns id, {written} as k\n",
        s => ((VoScript.Dsl.Modules.KeepStatement)s.Statements[0]).Columns[1]);

    /// <summary>
    /// What messages suggest (<see cref="VoScript.Engine.ScriptNames.Column"/>) is what the parser reads back as that
    /// column, in an expression and in a list of columns; and a word is quoted only where the parser would not read it bare.
    /// </summary>
    [TestCaseSource(nameof(QuirkyNames))]
    public void A_column_name_as_messages_write_it_parses_back_to_the_column(string name)
    {
        var inExpression = VoScript.Engine.ScriptNames.Column(name, VoScript.Engine.NamePlace.Expression);
        var inList = VoScript.Engine.ScriptNames.Column(name, VoScript.Engine.NamePlace.ColumnList);
        if (name != "a`b") Assert.That(InExpression(inExpression), Is.EqualTo(name), inExpression); // (no way to write a backquote in an expression)
        Assert.That(InList(inList), Is.EqualTo(name), inList);
        if (VoScript.Engine.ScriptNames.IsWord(name))
        {
            Assert.That(InExpression(name) == name, Is.EqualTo(inExpression == name), $"{name} is quoted in expressions exactly when the parser does not read it bare");
            Assert.That(InList(name) == name, Is.EqualTo(inList == name), $"{name} is quoted in lists exactly when the parser does not read it bare");
        }
        else Assert.That((inExpression[0], inList[0]), Is.Not.EqualTo((name[0], name[0])), "a name that is not a word is always quoted");
    }

    [Test]
    public void The_column_of_URLs_of_fetch_and_services_may_be_a_name_that_is_not_a_word()
    {
        var s = ParseOk("fetch t column `access url` to \"d/\"\nservices tap from t column \"tap-url\" as a\n");
        Assert.That(((VoScript.Dsl.Modules.FetchStatement)s.Statements[0]).Column!.Text, Is.EqualTo("access url"));
        Assert.That(((VoScript.Dsl.Modules.ServicesFromStatement)s.Statements[1]).Column!.Text, Is.EqualTo("tap-url"));
    }

    [Test]
    public void ColumnsWhoseNamesAreNotWordsAreWrittenInBackquotesOrInListsAsStrings()
    {
        // catalogues have such names (VizieR's B-V, 2MASS, "n obs"): every verb and expression can use them
        var s = ParseOk("keep t columns id, \"n obs\", `B-V` as k\nderive t with `U-B` = `B-V` * 2, x = `2MASS` as d\n"
            + "rename t \"n obs\" to n_obs, `B-V` to bv as r\nselect t where `B-V` > 0.5 as s\nsort t by `n obs` desc as o\n");
        Assert.That(((VoScript.Dsl.Modules.KeepStatement)s.Statements[0]).Columns.Select(c => c.Text), Is.EqualTo(new[] { "id", "n obs", "B-V" }));
        var derive = (VoScript.Dsl.Modules.DeriveStatement)s.Statements[1];
        Assert.That(derive.Items[0].Name.Text, Is.EqualTo("U-B"));
        Assert.That(derive.Items[0].Expr.ToString(), Is.EqualTo("(`B-V` * 2)"));
        Assert.That(derive.Items[1].Expr, Is.EqualTo(new VoScript.Engine.Science.Selection.ColumnRef("2MASS") { Span = derive.Items[1].Expr.Span }));
        var select = (SelectWhereStatement)s.Statements[3];
        Assert.That(select.Condition.ToString(), Does.Contain("`B-V`"));

        var r = ScriptParser.Parse("select t where `B-V > 1 as s\nselect t where `` > 1 as s\n", "t.vos");
        Assert.That(r.Diagnostics.Select(d => d.Message), Has.Some.Contains("closing ` on the same line"));
        Assert.That(r.Diagnostics.Select(d => d.Message), Has.Some.Contains("empty backquotes"));
    }

    [Test]
    public void UnitMayBeAttachedOrSeparated()
    {
        var s = ParseOk("let a = 30s\nlet b = 1.5 arcsec\nlet c = 2e-3deg\n");
        Assert.That(s.Statements.Cast<LetStatement>().Select(l => ((NumberLiteral)l.Value).Unit), Is.EqualTo(new[] { "s", "arcsec", "deg" }));
        Assert.That(((NumberLiteral)((LetStatement)s.Statements[2]).Value).Value, Is.EqualTo(0.002));
    }

    [Test]
    public void ArithmeticIsLeftAssociativeWithPrecedence()
    {
        var s = ParseOk("let a = 1 - 2 - 3 * 4\n");
        var e = (BinaryExpression)((LetStatement)s.Statements[0]).Value;
        Assert.That(e.Operator, Is.EqualTo('-'));
        Assert.That(((BinaryExpression)e.Left).Operator, Is.EqualTo('-'));
        Assert.That(((BinaryExpression)e.Right).Operator, Is.EqualTo('*'));
    }

    [Test]
    public void KeywordDoesNotMatchTheStartOfALongerWord()
    {
        var r = ScriptParser.Parse("queryx s as t { SELECT 1 }\n", "t.vos");
        Assert.That(r.Diagnostics.Single().Code, Is.EqualTo(DiagnosticCodes.UnknownStatement));
        Assert.That(r.Diagnostics.Single().Span.Length, Is.EqualTo(6));
    }

    [Test]
    public void AdqlBlockKeepsTextAndHolesWithSpans()
    {
        const string text = "query s as t {\n  SELECT '}' FROM x WHERE r < ${r}\n}\n";
        var q = (QueryStatement)ParseOk(text).Statements[0];
        Assert.That(q.Adql.Parts, Has.Count.EqualTo(3));
        var hole = (AdqlHole)q.Adql.Parts[1];
        Assert.That(text.Substring(hole.Span.Start, hole.Span.Length), Is.EqualTo("${r}"));
        Assert.That(((NameReference)hole.Value).Name.Text, Is.EqualTo("r"));
        Assert.That((hole.Value.Span.Line, hole.Value.Span.Column), Is.EqualTo((2, 33)));
        Assert.That(((AdqlText)q.Adql.Parts[0]).Text, Is.EqualTo("\n  SELECT '}' FROM x WHERE r < "));
        Assert.That(((AdqlText)q.Adql.Parts[2]).Text, Is.EqualTo("\n"));
    }

    [Test]
    public void NestedBracesInAdqlAreBalanced()
    {
        var q = (QueryStatement)ParseOk("query s as t { SELECT {fn x} FROM y }\nprint 1\n").Statements[0];
        Assert.That(((AdqlText)q.Adql.Parts.Single()).Text, Is.EqualTo(" SELECT {fn x} FROM y "));
    }

    [Test]
    public void EveryBrokenStatementIsReportedInOneRun()
    {
        const string text = "let = 1\nprint 2\nlet y = \nquery s as { \n SELECT 1\n}\nprint 3\nshow\n";
        var r = ScriptParser.Parse(text, "t.vos");
        Assert.That(r.Diagnostics.Select(d => d.Span.Line), Is.EqualTo(new[] { 1, 3, 4, 8 }));
        Assert.That(r.Script.Statements.OfType<PrintStatement>().Count(), Is.EqualTo(2), "statements around the broken ones still parse");
    }

    [Test]
    public void BrokenHoleInAMultiLineBlockGivesOneError()
    {
        const string text = "query s as t {\n  SELECT ${ra + } FROM x\n  WHERE y = 1\n}\nquery s as u {\n  SELECT ${ra FROM x\n  WHERE {fn z} = 1\n}\nprint 1\n";
        var r = ScriptParser.Parse(text, "t.vos");
        Assert.That(r.Diagnostics.Select(d => (d.Span.Line, d.Span.Column)), Is.EqualTo(new[] { (2, 17), (6, 15) }));
        Assert.That(r.Script.Statements.Single(), Is.TypeOf<PrintStatement>());
    }

    [Test]
    public void UnclosedBlockIsReportedAtItsBrace()
    {
        var r = ScriptParser.Parse("query s as t {\n SELECT 1\n", "t.vos");
        var d = r.Diagnostics.Single();
        Assert.That((d.Code, d.Span.Line, d.Span.Column), Is.EqualTo((DiagnosticCodes.UnclosedBlock, 1, 14)));
    }

    [Test]
    public void QueryClausesComeInAnyOrder()
    {
        var q = (QueryEachStatement)ParseOk("query each set async as t on error continue upload a as b, c maxrec 5 { SELECT 1 }\n").Statements[0];
        Assert.That(q.IsAsync, Is.True);
        Assert.That(q.Clauses.ContinueOnError, Is.Not.Null);
        Assert.That(q.Clauses.Uploads.Select(u => (u.Table.Text, u.As?.Text)), Is.EqualTo(new[] { ("a", (string?)"b"), ("c", null) }));
        Assert.That(((NumberLiteral)q.Clauses.MaxRec!).Value, Is.EqualTo(5));
    }

    [Test]
    public void StatementKeywordsCanBeNamesOutsideTheStartOfAStatement()
    {
        var s = ParseOk("load \"a.csv\" as spectra\nsave spectra to \"b.csv\"\n");
        Assert.That(((SaveStatement)s.Statements[1]).Table.Text, Is.EqualTo("spectra"));
    }

    [Test]
    public void BackslashContinuesAStatementOnTheNextLine()
    {
        var s = ParseOk("find services tap \\\n    with table \"ivoa.obscore\" \\\n    as archives\nprint 1\n");
        Assert.That(s.Statements, Has.Count.EqualTo(2));
        Assert.That(((FindServicesStatement)s.Statements[0]).Output.Span.Line, Is.EqualTo(3));
    }

    [Test]
    public void SemicolonSeparatesStatementsOnOneLine()
    {
        Assert.That(ParseOk("let a = 1; let b = 2\n").Statements, Has.Count.EqualTo(2));
    }

    [Test]
    public void ParserNeverThrowsOnArbitraryText()
    {
        var rng = new Random(7);
        const string alphabet = "query let { } ${ } \" ' [ ] , = 1 2.5 arcmin as each all\n#-+*/";
        for (var n = 0; n < 300; n++)
        {
            var text = new string(Enumerable.Range(0, rng.Next(0, 80)).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray());
            Assert.DoesNotThrow(() => ScriptParser.Parse(text, "fuzz.vos"), text);
        }
    }

    [Test]
    public void EveryImplementedStatementDeclaresItsSyntaxOnce()
    {
        var implemented = StatementCatalog.All.Where(s => !s.Planned).Select(s => s.Keyword.Split(' ')[0]).Distinct().Order().ToList();
        Assert.That(implemented, Is.EqualTo(Grammar.Statements.Keys.Order().ToList()));
        Assert.That(StatementCatalog.All.Where(s => s.Planned), Is.Empty, "every statement of the language is implemented");
    }
}

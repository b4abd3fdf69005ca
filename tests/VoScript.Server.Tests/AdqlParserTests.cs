using VoScript.Adql;
using VoScript.Server.Storage;

namespace VoScript.Server.Tests;

public class AdqlParserTests
{
    [Test]
    public void SelectWithTopDistinctWhereOrderIsParsedIntoItsParts()
    {
        var q = (SelectQuery)AdqlParser.Parse("SELECT DISTINCT TOP 10 a, b AS bee, t.* FROM s.t AS x WHERE a > 1 ORDER BY 2 DESC, a");
        Assert.That((q.Distinct, q.Top, q.Items.Count, q.OrderBy.Count), Is.EqualTo((true, 10L, 3, 2)));
        Assert.That(((ExprItem)q.Items[1]).Alias!.Name, Is.EqualTo("bee"));
        Assert.That(((StarItem)q.Items[2]).Qualifier!.Single().Name, Is.EqualTo("t"));
        var from = (NamedTable)q.From.Single();
        Assert.That((string.Join(".", from.Name.Select(n => n.Name)), from.Alias!.Name), Is.EqualTo(("s.t", "x")));
        Assert.That(q.OrderBy[0].Descending, Is.True);
    }

    [Test]
    public void DelimitedIdentifiersKeepCaseAndQuotes()
    {
        var q = (SelectQuery)AdqlParser.Parse("SELECT \"2MASS\", \"a\"\"b\" FROM \"My Table\"");
        var first = (ColumnRef)((ExprItem)q.Items[0]).Expr;
        var second = (ColumnRef)((ExprItem)q.Items[1]).Expr;
        Assert.That((first.Column.Name, first.Column.Delimited, second.Column.Name), Is.EqualTo(("2MASS", true, "a\"b")));
        Assert.That(((NamedTable)q.From[0]).Name[0].Name, Is.EqualTo("My Table"));
    }

    [Test]
    public void OperatorPrecedenceBindsMultiplicationBeforeAdditionAndAndBeforeOr()
    {
        var q = (SelectQuery)AdqlParser.Parse("SELECT a FROM t WHERE a = 1 OR b = 2 AND c = 1 + 2 * 3");
        var or = (Binary)q.Where!;
        Assert.That(or.Op, Is.EqualTo("OR"));
        var and = (Binary)or.Right;
        Assert.That(and.Op, Is.EqualTo("AND"));
        var sum = (Binary)((Binary)and.Right).Right;
        Assert.That((sum.Op, ((Binary)sum.Right).Op), Is.EqualTo(("+", "*")));
    }

    [Test]
    public void PredicatesAndSubqueriesAreRecognised()
    {
        var q = (SelectQuery)AdqlParser.Parse(
            "SELECT a FROM t WHERE a NOT BETWEEN 1 AND 2 AND b IN (1, 2) AND c NOT IN (SELECT x FROM u) " +
            "AND d ILIKE 'x%' AND e IS NOT NULL AND EXISTS (SELECT 1 FROM u) AND f = (SELECT MAX(x) FROM u)");
        var kinds = new List<Type>();
        void Walk(Expr e) { if (e is Binary { Op: "AND" } b) { Walk(b.Left); Walk(b.Right); } else kinds.Add(e.GetType()); }
        Walk(q.Where!);
        Assert.That(kinds, Is.EqualTo(new[] { typeof(Between), typeof(InList), typeof(InQuery), typeof(Like), typeof(IsNull), typeof(Exists), typeof(Binary) }));
        Assert.That(((Binary)q.Where!.GetType().GetProperty("Right")!.GetValue(q.Where)!).Right, Is.InstanceOf<ScalarQuery>());
    }

    [Test]
    public void JoinsParseWithTheirKindAndCondition()
    {
        var q = (SelectQuery)AdqlParser.Parse("SELECT * FROM a LEFT OUTER JOIN b ON a.x = b.x NATURAL JOIN c JOIN d USING (y)");
        var outer = (JoinedTable)q.From.Single();
        Assert.That((outer.Kind, outer.Using!.Single().Name), Is.EqualTo(("INNER", "y")));
        var mid = (JoinedTable)outer.Left;
        Assert.That(mid.Natural, Is.True);
        Assert.That(((JoinedTable)mid.Left).Kind, Is.EqualTo("LEFT"));
    }

    [Test]
    public void SetOperationsAndSubqueryInFromParse()
    {
        var q = AdqlParser.Parse("SELECT a FROM (SELECT a FROM t) AS s UNION ALL SELECT b FROM u ORDER BY 1 OFFSET 5");
        var set = (SetQuery)q;
        Assert.That((set.Op, set.All, set.Offset), Is.EqualTo(("UNION", true, 5L)));
        Assert.That(((SelectQuery)set.Left).From[0], Is.InstanceOf<DerivedTable>());
    }

    [Test]
    public void NegativeNumbersAndCommentsAreHandled()
    {
        var q = (SelectQuery)AdqlParser.Parse("SELECT a -- a comment\nFROM t WHERE dec > -1.5e1;");
        Assert.That(((NumberLit)((Binary)q.Where!).Right).Text, Is.EqualTo("-1.5e1"));
    }

    [Test]
    public void LimitIsAColumnNameUnlessItIsFollowedByANumber()
    {
        var q = (SelectQuery)AdqlParser.Parse("SELECT limit FROM t WHERE limit > 0");
        Assert.That(((ColumnRef)((ExprItem)q.Items[0]).Expr).Column.Name, Is.EqualTo("limit"));
    }

    [TestCase("SELECT a FROM t WHERE", 1, 22, "ends where an expression")]
    [TestCase("SELECT a FROM t\nWHERE a = 'open", 2, 11, "unterminated string")]
    [TestCase("SELECT a, FROM t", 1, 11, "reserved word FROM")]
    [TestCase("SELECT a FROM t LIMIT 5", 1, 17, "LIMIT is not ADQL")]
    [TestCase("SELECT TOP x a FROM t", 1, 12, "after TOP")]
    [TestCase("SELECT a FROM t WHERE a = 1 )", 1, 29, "unexpected ')'")]
    [TestCase("SELECT a FROM t WHERE a ? 1", 1, 25, "unexpected character '?'")]
    [TestCase("SELECT a b c FROM t", 1, 12, "expected FROM")]
    [TestCase("SELECT * FROM (SELECT a FROM t)", 1, 32, "needs a name")]
    [TestCase("SELECT * FROM a JOIN b", 1, 23, "expected ON or USING")]
    public void SyntaxErrorsNameTheProblemAndItsPosition(string adql, int line, int column, string text)
    {
        var e = Assert.Throws<AdqlException>(() => AdqlParser.Parse(adql))!;
        Assert.That((e.Line, e.Column), Is.EqualTo((line, column)), e.Message);
        Assert.That(e.Message, Does.Contain(text));
    }
}

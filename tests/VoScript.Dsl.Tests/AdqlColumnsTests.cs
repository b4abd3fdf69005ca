using VoScript.Dsl.Compiling;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Tests;

/// <summary>
/// A query's output columns at check time, read with the ADQL parser from the select list
/// (names, aliases, qualified names, TOP, DISTINCT, expressions with AS); columns unknown, and no error,
/// for <c>*</c>, a hole in the list, or a head the parser cannot read.
/// </summary>
[TestFixture]
public class AdqlColumnsTests
{
    private static string? Columns(string adql)
    {
        var r = AdqlColumns.OfText(adql);
        return r is null ? null : string.Join(",", r.Names) + (r.Complete ? "" : " (incomplete)");
    }

    // what the regex already read right, kept
    [TestCase("SELECT TOP 10 source_id, ra, dec, g_mag AS g FROM cat_a", "source_id,ra,dec,g")]
    [TestCase("SELECT \"2MASS\", b.RAJ2000, b.DEJ2000, Jmag FROM cat_b AS b", "2MASS,RAJ2000,DEJ2000,Jmag")]
    [TestCase("SELECT ra, g_mag - rp_mag FROM cat_a", "ra (incomplete)")]
    [TestCase("select distinct ra as r, dec FROM t", "r,dec")]
    [TestCase("SELECT ALL s.t.ra\nFROM s.t", "ra")]
    [TestCase("SELECT a.ra, b.ra FROM a JOIN b ON a.id = b.id", "ra,ra (incomplete)")]
    [TestCase("SELECT ra, CONCAT(a, b) AS ab, dec FROM t", "ra,ab,dec")]
    [TestCase("SELECT a FROM t UNION SELECT b FROM u", "a")]
    public void TheSelectListGivesTheNames(string adql, string expected) =>
        Assert.That(Columns(adql), Is.EqualTo(expected));

    // what the regex read wrong
    [TestCase("SELECT 'a FROM b' AS label, ra FROM t", "label,ra", TestName = "a string literal with the word FROM")]
    [TestCase("SELECT ra AS \"ra FROM gaia\", dec FROM t", "ra FROM gaia,dec", TestName = "a quoted alias with the word FROM")]
    [TestCase("SELECT COALESCE(name, 'a, b') AS n, 'x(' AS p, ra FROM t", "n,p,ra", TestName = "string literals with a comma and a parenthesis")]
    [TestCase("SELECT (SELECT MAX(mag) FROM u WHERE u.id = t.id) AS brightest, ra FROM t", "brightest,ra", TestName = "a subquery in the select list")]
    [TestCase("SELECT \"a\"\"b\", \"with space\" FROM t", "a\"b,with space", TestName = "quoted identifiers with a doubled quote and a space")]
    [TestCase("SELECT ra, -- the position, in degrees\n  dec FROM t", "ra,dec", TestName = "a comment in the select list")]
    [TestCase("-- bright stars\nSELECT ra FROM t", "ra", TestName = "a comment before SELECT")]
    [TestCase("SELECT ra r, dec d FROM t", "r,d", TestName = "aliases without AS")]
    [TestCase("WITH b AS (SELECT ra, dec FROM t WHERE mag < 10) SELECT ra, dec AS de FROM b", "ra,de", TestName = "a WITH query")]
    [TestCase("(SELECT ra FROM t) UNION (SELECT ra FROM u)", "ra", TestName = "a parenthesised UNION")]
    [TestCase("SELECT TOP 5 ivo_healpix_index(10, ra, dec) AS hpx, ra FROM t", "hpx,ra", TestName = "a service function with AS")]
    public void CasesTheRegexGotWrongAreRead(string adql, string expected) =>
        Assert.That(Columns(adql), Is.EqualTo(expected));

    [TestCase("SELECT ra, dec FROM t WHERE ra::float > 0 AND x ~ 'y'", "ra,dec", TestName = "a dialect after FROM does not matter")]
    [TestCase("SELECT ra, dec FROM t WHERE 'unterminated", "ra,dec", TestName = "broken text after FROM is not read")]
    public void OnlyTheHeadIsRead(string adql, string expected) =>
        Assert.That(Columns(adql), Is.EqualTo(expected));

    [TestCase("SELECT * FROM t")]
    [TestCase("SELECT ra, t.* FROM t")]
    [TestCase("SELECT ra, x::text FROM t", TestName = "a dialect in the select list")]
    [TestCase("SELECT ra, dec", TestName = "no FROM")]
    [TestCase("DELETE FROM t", TestName = "not a query")]
    [TestCase("SELECT ra, FROM t", TestName = "a syntax error")]
    [TestCase("", TestName = "empty")]
    public void ColumnsAreUnknownWhenTheHeadCannotTellThem(string adql) =>
        Assert.That(AdqlColumns.OfText(adql), Is.Null);

    private static AdqlBlock Block(string adql)
    {
        var parsed = ScriptParser.Parse($"param d = 1\nservice s = tap \"https://x.org/tap\"\nquery s as a {{ {adql} }}\n", "t.vos");
        Assert.That(parsed.Diagnostics, Is.Empty);
        return parsed.Script.Statements.OfType<QueryStatement>().Single().Adql;
    }

    [Test]
    public void AHoleAfterFromLeavesTheColumnsKnownAndOneBeforeMakesThemUnknown()
    {
        Assert.That(AdqlColumns.Names(Block("SELECT ra, dec FROM t WHERE dec > ${d}"))?.Names, Is.EqualTo(new[] { "ra", "dec" }));
        Assert.That(AdqlColumns.Names(Block("SELECT ra, dec FROM ${d}"))?.Names, Is.EqualTo(new[] { "ra", "dec" }));
        Assert.That(AdqlColumns.Names(Block("SELECT ra, ${d} AS x FROM t")), Is.Null);
        Assert.That(AdqlColumns.Names(Block("SELECT TOP ${d} ra FROM t")), Is.Null);
    }
}

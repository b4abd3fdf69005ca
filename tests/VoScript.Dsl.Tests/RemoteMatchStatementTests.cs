using VoScript.Dsl.Compiling;
using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Modules;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine.Science.RemoteMatch;

namespace VoScript.Dsl.Tests;

/// <summary><c>match T with SERVICE table "…" …</c> (issue #20): parse, checks before the run, plan.</summary>
[TestFixture]
public class RemoteMatchStatementTests
{
    private const string Head = "service gaia = tap \"http://localhost:8080/tap\"\nquery gaia as t { SELECT source_id, ra, dec FROM cat_a.main }\n";

    private static CompileResult Compile(string line) => VoScriptCompiler.Compile(Head + line + "\n", "m.vos");

    private static RemoteMatchStep Step(string line)
    {
        var r = Compile(line);
        Assert.That(r.Diagnostics.Where(d => d.IsError), Is.Empty, r.FormatDiagnostics());
        return r.Plan!.Steps.OfType<RemoteMatchStep>().Single();
    }

    [Test]
    public void TheRemoteFormIsAMatchStatementOfItsOwn()
    {
        Assert.That(StatementCatalog.ForKeyword("match").Select(i => i.Usage), Has.Some.StartsWith("match T with SERVICE table"));
        Assert.That(StatementCatalog.ForKeyword("match").Select(i => i.Usage), Has.Some.StartsWith("match A, B within"));
        Assert.That(StatementRulesCatalog.StatementTypes, Does.Contain(typeof(RemoteMatchStatement)));
    }

    [Test]
    public void DefaultsAreBestForTParallelTwoAndBlocksFromTheService()
    {
        var s = Step("match t with gaia table \"cat_b.main\" within 2 arcsec as m");
        Assert.That(s.Table, Is.EqualTo("t"));
        Assert.That(s.Service, Is.EqualTo("gaia"));
        Assert.That(s.RemoteTable, Is.EqualTo("cat_b.main"));
        Assert.That(s.WithinDegrees, Is.EqualTo(2.0 / 3600).Within(1e-15));
        Assert.That(s.Mode, Is.EqualTo(RemoteMatchMode.BestForTable));
        Assert.That(s.Parallel, Is.EqualTo(2));
        Assert.That(s.Block, Is.Null);
        Assert.That(s.Columns, Is.Null);
        Assert.That(s.RaColumn, Is.Null);
        Assert.That(s.Services, Is.EqualTo(new[] { "gaia" }));
        Assert.That(s.IsRemote, Is.True);
    }

    [Test]
    public void ClausesComeInAnyOrder()
    {
        var a = Step("match t with gaia table \"cat_b.main\" columns \"2MASS\", jmag positions raj2000, dej2000 within 1.5 arcsec all block 500 parallel 4 as m");
        var b = Step("match t with gaia table \"cat_b.main\" parallel 4 all block 500 within 1.5 arcsec positions raj2000, dej2000 columns \"2MASS\", jmag as m");
        foreach (var s in new[] { a, b })
        {
            Assert.That(s.Columns, Is.EqualTo(new[] { "2MASS", "jmag" }));
            Assert.That((s.RaColumn, s.DecColumn), Is.EqualTo(("raj2000", "dej2000")));
            Assert.That(s.Mode, Is.EqualTo(RemoteMatchMode.All));
            Assert.That((s.Block, s.Parallel), Is.EqualTo(((int?)500, 4)));
        }
        Assert.That(a.Describe(), Is.EqualTo(b.Describe()));
        Assert.That(Step("match t with gaia table \"cat_b.main\" within 1 arcsec best for t as m").Mode, Is.EqualTo(RemoteMatchMode.BestForTable));
    }

    [Test]
    public void PlanShowsTheBlockSizeAndTheAdqlOfOneBlock()
    {
        var r = Compile("match t with gaia table \"cat_b.main\" columns jmag positions raj2000, dej2000 within 2 arcsec block 300 as m");
        var text = r.Plan!.ToString();
        Assert.That(text, Does.Contain("match t with gaia table \"cat_b.main\" columns jmag positions raj2000, dej2000 within 2 arcsec best for t block 300 parallel 2 as m"));
        Assert.That(text, Does.Contain("blocks of 300 rows of t"));
        Assert.That(text, Does.Contain("SELECT u.vos_row, t.jmag, t.raj2000 AS vos_rra, t.dej2000 AS vos_rdec"));
        Assert.That(text, Does.Contain("FROM TAP_UPLOAD.vos_block AS u JOIN cat_b.main AS t"));
        Assert.That(text, Does.Contain("ON 1=CONTAINS(POINT('ICRS', t.raj2000, t.dej2000), CIRCLE('ICRS', u.vos_ra, u.vos_dec, 0.000555556555556))"));
        var d = Compile("match t with gaia table \"cat_b.main\" within 2 arcsec as m").Plan!.ToString();
        Assert.That(d, Does.Contain("blocks of at most 5000 rows of t"));
        Assert.That(d, Does.Contain("position columns found in the service's metadata at run time"));
    }

    [TestCase("match t with gaia table \"x.y\" within 2 arcsec block 10 block 20 as m", "'block' is given twice; keep one")]
    [TestCase("match t with gaia table \"x.y\" within 2 arcsec within 3 arcsec as m", "'within' is given twice; keep one")]
    [TestCase("match t with gaia table \"x.y\" all within 2 arcsec best for t as m", "the mode is given twice")]
    [TestCase("match t with gaia table \"x.y\" within 2 arcsec best as m", "the best mode is 'best for t'")]
    [TestCase("match t with gaia table \"x.y\" within 2 arcsec best for m as m", "'best for m': only t's rows")]
    [TestCase("match t with gaia table \"x.y\" within 2 arcsec all for t as m", "'all' keeps every pair and takes no 'for'")]
    [TestCase("match t with gaia table \"x.y\" columns a as m", "'within ANGLE' is missing")]
    [TestCase("match t with gaia table \"x.y\" within 2 arcsec maxrec 10 as m", "expected 'columns', 'positions', 'best', 'all', 'block', 'parallel' or 'as'")]
    [TestCase("match t with gaia \"x.y\" within 2 arcsec as m", "expected 'table \"schema.table\"' after the service")]
    [TestCase("match t with gaia table \"x.y\" positions ra, ra within 2 arcsec as m", "names one column twice")]
    public void MistakesAreReportedWhereTheyAre(string line, string message)
    {
        var r = Compile(line);
        var errors = r.Diagnostics.Where(d => d.IsError).ToList();
        Assert.That(errors, Has.Count.EqualTo(1), r.FormatDiagnostics());
        Assert.That(errors[0].Message, Does.Contain(message), r.FormatDiagnostics());
        Assert.That(errors[0].Span.Line, Is.EqualTo(3));
        Assert.That(errors[0].Span.Column, Is.GreaterThan(1));
    }

    [TestCase("match t with gaia table \"x.y\" within 2 as m", DiagnosticCodes.ExpectedAngle)]
    [TestCase("match t with gaia table \"x.y\" within 2 arcsec block 0 as m", DiagnosticCodes.BadNumber)]
    [TestCase("match t with gaia table \"x.y\" within 2 arcsec block 1.5 as m", DiagnosticCodes.BadNumber)]
    [TestCase("match t with gaia table \"x.y\" within 2 arcsec parallel 100 as m", DiagnosticCodes.BadNumber)]
    [TestCase("match t with gaia table \"x.y\" within 2 arcsec parallel 2 s as m", DiagnosticCodes.UnitMismatch)]
    [TestCase("match t with gaia table 5 within 2 arcsec as m", DiagnosticCodes.TypeMismatch)]
    [TestCase("match t with gaia table \"\" within 2 arcsec as m", DiagnosticCodes.BadCondition)]
    [TestCase("match t with nope table \"x.y\" within 2 arcsec as m", DiagnosticCodes.UnknownService)]
    [TestCase("match nope with gaia table \"x.y\" within 2 arcsec as m", DiagnosticCodes.UnknownTable)]
    public void BadValuesAndNamesHaveTheirCodes(string line, string code)
    {
        var r = Compile(line);
        Assert.That(r.Diagnostics.Where(d => d.IsError).Select(d => d.Code), Is.EqualTo(new[] { code }), r.FormatDiagnostics());
    }

    [Test]
    public void TheServiceMustBeTap()
    {
        var r = VoScriptCompiler.Compile("service cone = scs \"http://localhost/scs\"\nload \"t.csv\" as t\nmatch t with cone table \"x.y\" within 2 arcsec as m\n", "m.vos");
        Assert.That(r.Diagnostics.Where(d => d.IsError).Select(d => d.Code), Is.EqualTo(new[] { DiagnosticCodes.ServiceMismatch }), r.FormatDiagnostics());
    }

    [Test]
    public void ATableWithoutPositionsIsReportedBeforeTheRun()
    {
        // sed's columns are known (and typed) before the run: object_id, band, mag, … but no positions after 'keep'
        const string script = "load \"a.vot\" as a\nload \"b.vot\" as b\ncluster a, b within 1.5 arcsec as objects\nsed objects as seds\n"
            + "service gaia = tap \"http://localhost:8080/tap\"\nkeep seds columns object_id, mag as ids\nmatch ids with gaia table \"cat_b.main\" within 2 arcsec as m\n"
            + "match seds with gaia table \"cat_b.main\" within 2 arcsec as fine\n";
        var r = VoScriptCompiler.Compile(script, "m.vos");
        var e = r.Diagnostics.Where(d => d.IsError).ToList();
        Assert.That(e, Has.Count.EqualTo(1), r.FormatDiagnostics());
        Assert.That(e[0].Message, Does.Contain("'ids' has no position columns to upload"));
        Assert.That((e[0].Span.Line, e[0].Span.Column), Is.EqualTo((7, 7)));
    }

    [Test]
    public void TheLocalMatchIsUnchanged()
    {
        var r = VoScriptCompiler.Compile(Head + "query gaia as b { SELECT source_id, ra, dec FROM cat_b.main }\nmatch t, b within 2 arcsec best for t as m\n", "m.vos");
        Assert.That(r.Diagnostics.Where(d => d.IsError), Is.Empty, r.FormatDiagnostics());
        Assert.That(r.Plan!.Steps.OfType<MatchStep>().Single().Mode, Is.EqualTo(VoScript.Engine.Science.Verbs.MatchMode.BestForA));
    }
}

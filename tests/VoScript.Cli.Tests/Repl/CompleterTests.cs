using VoScript.Cli.Repl;
using VoScript.Engine.Runtime.Modules;

namespace VoScript.Cli.Tests.Repl;

public class CompleterTests
{
    private static readonly string Sample = Repo.PathOf("scripts/data/sample.vot");

    private static async Task<ReplSession> Session()
    {
        var s = new ReplSession([new CoreModule()]);
        await s.SubmitAsync($"load \"{Sample}\" as stars");
        await s.SubmitAsync("service gaia = tap \"http://localhost:1/tap\"\nparam radius = 6 arcmin\nlet label = \"x\"");
        return s;
    }

    private static async Task<IReadOnlyList<string>> At(string text) => Completer.Complete(text, text.Length, await Session()).Candidates;

    [Test]
    public async Task StatementKeywordsAtTheStartOfALine()
    {
        Assert.That(await At("sh"), Is.EqualTo(new[] { "show" }));
        Assert.That(await At("s"), Is.EqualTo(new[] { "save", "sed", "select", "send", "service", "show", "sort", "spectra", "stack" }));
        Assert.That(await At("let a = 1; pr"), Is.EqualTo(new[] { "print" }));
        Assert.That(await At("cl"), Is.EqualTo(new[] { "cluster" }));
        Assert.That(await At("cs"), Is.EqualTo(new[] { "csharp" }));
    }

    [Test]
    public async Task TablesAfterShowSaveAndUpload()
    {
        Assert.That(await At("show s"), Is.EqualTo(new[] { "stars" }));
        Assert.That(await At("save "), Is.EqualTo(new[] { "stars" }));
        Assert.That(await At("await "), Is.EqualTo(new[] { "all", "stars" }));
    }

    [Test]
    public async Task ServicesAfterQueryAndParametersInHoles()
    {
        Assert.That(await At("query g"), Is.EqualTo(new[] { "gaia" }));
        Assert.That(await At("query gaia as t { SELECT * FROM x WHERE r < ${ra"), Is.EqualTo(new[] { "radius" }));
        Assert.That(await At("service cat = "), Is.EqualTo(new[] { "registry", "scs", "sia", "ssa", "tap" }));
    }

    [Test]
    public async Task ColumnsInsideAnAdqlBlock()
    {
        var c = await At("query gaia as t {\n  SELECT source_id, g_");
        Assert.That(c, Is.EqualTo(new[] { "g_mag" }));
        Assert.That(await At("query gaia as t { SELECT 'g_"), Is.Empty.Or.EqualTo(new[] { "g_mag" }));
    }

    [Test]
    public async Task CommandsAndHelpTopics()
    {
        Assert.That(await At(":"), Is.EqualTo(ReplCommands.Names));
        Assert.That(await At(":he"), Is.EqualTo(new[] { "help" }));
        Assert.That(await At(":help qu"), Is.EqualTo(new[] { "query" }));
        Assert.That(await At(":save "), Is.EqualTo(new[] { "session", "stars" }));
    }

    [Test]
    public async Task ColumnsWhereTheStatementSyntaxHasAColumn()
    {
        // select T where EXPR: the columns of T anywhere in the expression
        Assert.That(await At("select stars where g_"), Is.EqualTo(new[] { "g_mag" }));
        Assert.That(await At("select stars where g_mag < 12 and pa"), Is.EqualTo(new[] { "parallax" }));
        Assert.That(await At("select stars where ra > 3 as "), Is.Empty, "after 'as' comes a new name");
        // plot T x COL y COL: one column after each clause word
        Assert.That(await At("plot stars x b"), Is.EqualTo(new[] { "bp_mag" }));
        Assert.That(await At("plot stars x ra y de"), Is.EqualTo(new[] { "dec" }));
        // every statement with a COL or EXPR in its declared usage gets the same, read from the declarations
        foreach (var info in VoScript.Dsl.Syntax.StatementCatalog.All.Where(i => i.Usage.Contains(" T ") && (i.Usage.Contains(" COL") || i.Usage.Contains(" EXPR"))))
        {
            var words = info.Usage.Split([' ', '[', ']'], StringSplitOptions.RemoveEmptyEntries);
            var at = Array.FindIndex(words, w => w == "EXPR" || w.StartsWith("COL", StringComparison.Ordinal));
            var typed = string.Join(' ', words[..at].Select(w => w == "T" ? "stars" : w)) + " so";
            Assert.That(await At(typed), Does.Contain("source_id"), typed);
        }
    }

    [Test]
    public void CommonPrefixIsWhatSeveralCandidatesShare()
    {
        var c = new Completion(0, "s", ["save", "service", "show"]);
        Assert.That(c.CommonPrefix(), Is.EqualTo("s"));
        Assert.That(new Completion(0, "g", ["g_mag", "g_flux"]).CommonPrefix(), Is.EqualTo("g_"));
    }

    [Test]
    public void BlockStateKnowsStringsCommentsAndHoles()
    {
        Assert.That(Completer.BlockState("query a as b {"), Is.EqualTo((true, false)));
        Assert.That(Completer.BlockState("query a as b { SELECT '}' "), Is.EqualTo((true, false)));
        Assert.That(Completer.BlockState("query a as b { SELECT ${r"), Is.EqualTo((true, true)));
        Assert.That(Completer.BlockState("query a as b { SELECT 1 }"), Is.EqualTo((false, false)));
        Assert.That(Completer.BlockState("print \"{\""), Is.EqualTo((false, false)));
    }
}

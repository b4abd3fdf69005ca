using VoScript.Dsl.Compiling;
using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Runtime;
using VoScript.Engine;

namespace VoScript.Dsl.Tests;

[TestFixture]
public class PassTests
{
    private static (List<Diagnostic> Diagnostics, SymbolTable Symbols, ValueTable Values) Passes(string text, bool values = true, bool awaits = false)
    {
        var parsed = ScriptParser.Parse(text, "t.vos");
        Assert.That(parsed.Diagnostics, Is.Empty);
        var d = new List<Diagnostic>();
        var symbols = NamePass.Run(parsed.Script, d);
        var v = values ? ValuePass.Run(parsed.Script, symbols, null, d) : new ValueTable();
        if (awaits) AwaitPass.Run(parsed.Script, symbols, d);
        return (d, symbols, v);
    }

    [Test]
    public void NamePassSuggestsTheClosestTableOnly()
    {
        var (d, _, _) = Passes("let gdr = 1\nload \"a.csv\" as gdr3\nsave gdr2 to \"x.csv\"\n", values: false);
        Assert.That(d.Single().Message, Is.EqualTo("unknown table 'gdr2' (did you mean 'gdr3'?)"));
    }

    [Test]
    public void SaveAsNamesAVOTableSerialization()
    {
        var (d, _, _) = Passes("load \"a.csv\" as t\nsave t to \"b.vot\" as tabeldata\nsave t to \"b.csv\" as binary\nsave t to \"c.vot\" as binary2\n");
        Assert.That(d.Select(x => (x.Code, x.Span.Line, x.Message)), Is.EqualTo(new[]
        {
            (DiagnosticCodes.BadFileName, 2, "unknown VOTable serialization 'tabeldata' (did you mean 'tabledata'?); write tabledata, binary or binary2"),
            (DiagnosticCodes.BadFileName, 3, "'as binary' is a VOTable serialization, but 'b.csv' is not a VOTable file; name it .vot or leave out 'as binary'"),
        }));
    }

    [Test]
    public void LoadTakesAnyFileNameSaveNeedsAKnownExtension()
    {
        // load decides by content at run time (issue 15: one TableFiles); save must know what to write; stdin stays out
        var (d, _, _) = Passes("load \"a.dat\" as t\nload \"b\" as u\nsave t to \"c.dat\"\nload \"-\" as v\n");
        Assert.That(d.Select(x => (x.Code, x.Span.Line)), Is.EqualTo(new[] { (DiagnosticCodes.BadFileName, 3), (DiagnosticCodes.BadFileName, 4) }));
        Assert.That(d[0].Message, Does.StartWith("cannot tell the format of 'c.dat'"));
        Assert.That(d[1].Message, Does.StartWith("a script cannot load standard input"));
    }

    [Test]
    public void NamePassGivesNoSuggestionForUnrelatedNames()
    {
        var (d, _, _) = Passes("load \"a.csv\" as gdr3\nshow photometry\n", values: false);
        Assert.That(d.Single().Message, Is.EqualTo("unknown table 'photometry'"));
    }

    [Test]
    public void NamePassRecordsKindsAndAsyncResults()
    {
        var (d, symbols, _) = Passes("service g = tap \"https://x.org/tap\"\nquery g async as a { SELECT 1 }\nquery g as b { SELECT 1 }\n", values: false);
        Assert.That(d, Is.Empty);
        Assert.That(symbols.Find("g")!.Protocol, Is.EqualTo(ServiceProtocol.Tap));
        Assert.That((symbols.Find("a")!.IsAsyncResult, symbols.Find("b")!.IsAsyncResult), Is.EqualTo((true, false)));
    }

    [TestCase("let a = 6 arcmin", 0.1, Quantity.Angle)]
    [TestCase("let a = 1.5 arcsec * 2", 3 / 3600.0, Quantity.Angle)]
    [TestCase("let a = 250 mas", 250 / 3_600_000.0, Quantity.Angle)]
    [TestCase("let a = 5min", 300.0, Quantity.Duration)]
    [TestCase("let a = 2 h - 30 min", 5400.0, Quantity.Duration)]
    [TestCase("let a = 1 arcmin / 2 arcsec", 30.0, Quantity.Number)]
    [TestCase("let a = -(3 + 4) * 2", -14.0, Quantity.Number)]
    public void ValuePassConvertsUnits(string text, double expected, object quantity)
    {
        var (d, _, values) = Passes(text + "\n");
        Assert.That(d, Is.Empty);
        var v = (NumberValue)values.ByName["a"];
        Assert.That(v.Value, Is.EqualTo(expected).Within(1e-12));
        Assert.That(v.Quantity, Is.EqualTo(quantity));
    }

    [Test]
    public void StringsAreQuotedAndEscapedForAdql()
    {
        Assert.That(new StringValue("O'Brien").ToAdql(), Is.EqualTo("'O''Brien'"));
        Assert.That(new ListValue([new StringValue("a"), new NumberValue(2)]).ToAdql(), Is.EqualTo("'a', 2"));
        Assert.That(new NumberValue(1e-7, Quantity.Angle).ToAdql(), Is.EqualTo("0.0000001"));
        Assert.That(new NumberValue(1.5 / 3600, Quantity.Angle).ToAdql(), Is.EqualTo("0.0004166666666666667"));
    }

    [Test]
    public void ParameterOverridesReplaceDefaults()
    {
        var r = VoScriptCompiler.Compile("param r = 6 arcmin\nparam name = \"x\"\nprint r\nprint name\n", "t.vos",
            new Dictionary<string, string> { ["r"] = "30 arcsec", ["name"] = "O'Brien" });
        Assert.That(r.Diagnostics, Is.Empty);
        var prints = r.Plan!.Steps.OfType<PrintStep>().Select(p => p.Text).ToList();
        Assert.That(prints, Is.EqualTo(new[] { "30 arcsec", "O'Brien" }));
    }

    private static double ParamValue(string script, string name, Dictionary<string, string>? parameters = null)
    {
        var r = VoScriptCompiler.Compile(script, "t.vos", parameters);
        Assert.That(r.Diagnostics, Is.Empty, string.Join("\n", r.Diagnostics.Select(d => d.Message)));
        return ((NumberValue)r.Plan!.Steps.OfType<ParamStep>().Single(p => p.Name == name).Value).Value;
    }

    [Test]
    public void SexagesimalAnglesAreOneTokenInHoursOrDegrees()
    {
        Assert.That(ParamValue("param ra = 10h00m28.6s\n", "ra"), Is.EqualTo((10 + 0 / 60.0 + 28.6 / 3600) * 15).Within(1e-12));
        Assert.That(ParamValue("param dec = +02d12m21s\n", "dec"), Is.EqualTo(2 + 12 / 60.0 + 21 / 3600.0).Within(1e-12));
        Assert.That(ParamValue("param dec = -02d12m21s\n", "dec"), Is.EqualTo(-(2 + 12 / 60.0 + 21 / 3600.0)).Within(1e-12));
        Assert.That(ParamValue("param r = 10h00m28.6s + 1 arcmin\n", "r"), Is.EqualTo(150.11916666666667 + 1 / 60.0).Within(1e-12));
        // a duration with hours only stays a duration
        var d = VoScriptCompiler.Compile("param t = 10h\n", "t.vos");
        Assert.That(((NumberValue)d.Plan!.Steps.OfType<ParamStep>().Single().Value).Quantity, Is.EqualTo(Quantity.Duration));
        // the plan shows the written angle and the degrees sent in ADQL
        var plan = PlanPrinter.Print(VoScriptCompiler.Compile("param ra = 10h00m28.6s\n", "t.vos").Plan!);
        Assert.That(plan, Does.Contain("param ra = 10h00m28.6s (150.11916666666667 deg)"));
    }

    [TestCase("param ra = 10h75m00s\n", "minutes and seconds must be below 60")]
    [TestCase("param ra = 25h00m00s\n", "hours must be below 24")]
    [TestCase("param dec = 02d12m61s\n", "minutes and seconds must be below 60")]
    public void BadSexagesimalAnglesAreExplained(string script, string message)
    {
        var r = VoScriptCompiler.Compile(script, "t.vos");
        Assert.That(r.Diagnostics.Select(x => x.Message), Has.Some.Contains(message));
    }

    [TestCase("10h00m28.6s")]
    [TestCase("10:00:28.6")]
    public void ParamAcceptsSexagesimalRightAscensions(string text)
    {
        var expected = (10 + 28.6 / 3600) * 15;
        Assert.That(ParamValue("param ra = 150.0\n", "ra", new() { ["ra"] = text }), Is.EqualTo(expected).Within(1e-12), "a number of degrees");
        Assert.That(ParamValue("param ra = 150 deg\n", "ra", new() { ["ra"] = text }), Is.EqualTo(expected).Within(1e-12), "an angle");
    }

    [TestCase("+02d12m21s", 1)]
    [TestCase("+02:12:21", 1)]
    [TestCase("-02:12:21", -1)]
    [TestCase("02:12:21", 1)]
    public void ParamAcceptsSexagesimalDeclinations(string text, int sign)
    {
        var expected = sign * (2 + 12 / 60.0 + 21 / 3600.0);
        Assert.That(ParamValue("param dec = 2.2\n", "dec", new() { ["dec"] = text }), Is.EqualTo(expected).Within(1e-12));
        Assert.That(ParamValue("param dec = 2.2 deg\n", "dec", new() { ["dec"] = text }), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void ABadColonAngleIsExplained()
    {
        var r = VoScriptCompiler.Compile("param ra = 150.0\n", "t.vos", new Dictionary<string, string> { ["ra"] = "24:00:00" });
        Assert.That(r.Diagnostics.Single().Message, Is.EqualTo("--param ra=24:00:00: hours of a right ascension must be below 24"));
    }

    [Test]
    public void AwaitPassNamesTheLineToAddTheAwaitBefore()
    {
        var (d, _, _) = Passes("service g = tap \"https://x.org/tap\"\nquery g async as a { SELECT 1 }\n\n\nshow a\nawait a\n", awaits: true);
        var e = d.Single();
        Assert.That((e.Code, e.Span.Line, e.Span.Column), Is.EqualTo((DiagnosticCodes.NotAwaited, 5, 6)));
        Assert.That(e.Message, Is.EqualTo("'a' comes from an async query (line 2) that is not awaited yet: add 'await a' before line 5"));
    }

    [Test]
    public void AwaitAllSettlesEveryPendingResult()
    {
        var (d, _, _) = Passes("service g = tap \"https://x.org/tap\"\nquery g async as a { SELECT 1 }\nquery g async as b { SELECT 1 }\nawait all\nshow a\nshow b\n", awaits: true);
        Assert.That(d, Is.Empty);
    }

    [Test]
    public void PlanRunsAsyncQueriesInParallelAndEffectsInOrder()
    {
        var r = VoScriptCompiler.Compile(
            "service g = tap \"https://x.org/tap\"\nquery g async as a { SELECT 1 }\nquery g async as b { SELECT 1 }\nprint \"x\"\nawait a, b\nshow a\n", "t.vos");
        var steps = r.Plan!.Steps;
        Assert.That(steps[0].DependsOn, Is.Empty);
        Assert.That(steps[1].DependsOn, Is.Empty);
        Assert.That(steps[2].DependsOn, Is.Empty, "print before the await does not wait for the async queries");
        Assert.That(steps[3].DependsOn, Is.EqualTo(new[] { "s1", "s2" }));
        Assert.That(steps[4].DependsOn, Is.EqualTo(new[] { "s1", "s3", "s4" }));
    }

    [Test]
    public void AdqlIsDedentedAfterInterpolation()
    {
        Assert.That(TextBlocks.Dedent("\n    SELECT a\n      FROM b   \n\n    WHERE c\n  "), Is.EqualTo("SELECT a\n  FROM b\n\nWHERE c"));
    }

    [Test]
    public void WindowsLineEndingsAndTabsCompileLikeUnixOnes()
    {
        const string unix = "param r = 6 arcmin\nservice s = tap \"https://x.org/tap\"\nquery s as t {\n\tSELECT ${r}\n\tFROM x\n}\nprint r\n";
        var a = VoScriptCompiler.Compile(unix, "t.vos");
        var b = VoScriptCompiler.Compile(unix.Replace("\n", "\r\n", StringComparison.Ordinal), "t.vos");
        Assert.That(b.Diagnostics, Is.Empty, b.FormatDiagnostics());
        Assert.That(PlanPrinter.Print(b.Plan!), Is.EqualTo(PlanPrinter.Print(a.Plan!)));
        Assert.That(((QueryStep)a.Plan!.Steps[1]).Adql, Is.EqualTo("SELECT 0.1\nFROM x"));
    }

    [Test]
    public void CompilerNeverThrowsOnArbitraryText()
    {
        var rng = new Random(11);
        string[] words = ["query", "let", "param", "print", "show", "save", "load", "await", "all", "x", "y", "g", "=", "{", "}", "${", "\"a.csv\"",
            "1", "6 arcmin", "30s", "as", "async", "upload", ",", "+", "/", "0", "\n", "service", "tap", "\"https://x.org\"", "timeout", "cone", "at", "radius"];
        for (var n = 0; n < 400; n++)
        {
            var text = string.Join(' ', Enumerable.Range(0, rng.Next(0, 30)).Select(_ => words[rng.Next(words.Length)]));
            Assert.DoesNotThrow(() => VoScriptCompiler.Compile(text, "fuzz.vos"), text);
        }
    }
}

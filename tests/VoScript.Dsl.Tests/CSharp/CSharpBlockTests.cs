using VoScript.Dsl.Modules;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.CSharp;
using VoScript.Dsl.Diagnostics;
using VoScript.Engine.Runtime;
using VoScript.Engine.Model;
using VoScript.Engine.Runtime.Modules;

namespace VoScript.Dsl.Tests.CSharp;

/// <summary>csharp blocks compiled and run: results, errors at .vos positions, time limits, the chain, the cache.</summary>
[TestFixture]
public class CSharpBlockTests
{
    private static string Sample
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VoScript.sln"))) dir = dir.Parent;
            return Path.Combine(dir!.FullName, "scripts", "data", "sample.vot").Replace('\\', '/');
        }
    }

    private sealed record Run(RunSummary Summary, Workspace Workspace, List<string> Output, List<ExecutionEvent> Events)
    {
        public string Failure => string.Join("\n", Summary.Steps.Where(s => s.Status == StepStatus.Failed).Select(s => s.Message));
    }

    private static CompileResult Compile(string text, bool allowCSharp = true) =>
        VoScriptCompiler.Compile(text, "t.vos", options: new CompileOptions { AllowCSharp = allowCSharp });

    private static async Task<Run> RunAsync(string text, CSharpRunOptions? options = null, Workspace? workspace = null)
    {
        var compiled = Compile(text);
        Assert.That(compiled.Plan, Is.Not.Null, compiled.FormatDiagnostics());
        var output = new List<string>();
        var events = new List<ExecutionEvent>();
        var executor = new Executor(new StepCatalog([new CoreModule(), new ScienceModule(), new CSharpModule(options)]), new ExecutorOptions
        {
            Events = e =>
            {
                events.Add(e);
                if (e is StepOutput o) output.Add(o.Text);
            },
        });
        workspace ??= new Workspace();
        var summary = await executor.RunAsync(compiled.Plan!, workspace);
        return new Run(summary, workspace, output, events);
    }

    [Test]
    public async Task ColourIndexBlockMakesATableWithTheNewColumn()
    {
        var run = await RunAsync($$"""
            load "{{Sample}}" as field
            csharp {
              var bp = field.Double("bp_mag");
              var rp = field.Double("rp_mag");
              var colour = new double[field.RowCount];
              for (var i = 0; i < colour.Length; i++) colour[i] = bp[i] - rp[i];
              field.With("bp_rp", colour, unit: "mag", ucd: "phot.color")
            } as coloured
            """);
        Assert.That(run.Summary.Status, Is.EqualTo(RunStatus.Succeeded), run.Failure);
        var field = run.Workspace.GetTable("field");
        var coloured = run.Workspace.GetTable("coloured");
        Assert.That(coloured.RowCount, Is.EqualTo(field.RowCount));
        Assert.That(coloured.Columns.Select(c => c.Name), Is.EqualTo(field.Columns.Select(c => c.Name).Append("bp_rp")));
        var column = coloured.FindColumn("bp_rp")!;
        Assert.That(column.Field.Unit, Is.EqualTo("mag"));
        Assert.That(column.Field.Ucd, Is.EqualTo("phot.color"));
        var bp = field.FindColumn("bp_mag")!;
        var rp = field.FindColumn("rp_mag")!;
        var nulls = 0;
        for (var i = 0; i < field.RowCount; i++)
        {
            if (bp.IsNull(i) || rp.IsNull(i))
            {
                Assert.That(column.IsNull(i), Is.True, $"row {i}: a null band gives a null colour");
                nulls++;
            }
            else Assert.That(column.GetDouble(i), Is.EqualTo(bp.GetDouble(i) - rp.GetDouble(i)).Within(1e-9), $"row {i}");
        }
        Assert.That(nulls, Is.GreaterThan(0), "the sample has faint sources without BP/RP");
        Assert.That(field.FindColumn("bp_rp"), Is.Null, "the input table is not changed");
    }

    [Test]
    public async Task ValueResultIsPrintedAndSeenByLaterBlocks()
    {
        var run = await RunAsync("""
            let factor = 2
            csharp { 21 * factor } as answer
            print answer
            csharp { answer + 0.5 } as more
            csharp { "n=" + more } as label
            csharp { new[] { 1, 2, 3 } } as numbers
            print label
            print numbers
            """);
        Assert.That(run.Summary.Status, Is.EqualTo(RunStatus.Succeeded), run.Failure);
        Assert.That(run.Workspace.Values["answer"], Is.EqualTo(new NumberValue(42)));
        Assert.That(run.Workspace.Values["more"], Is.EqualTo(new NumberValue(42.5)));
        Assert.That(run.Output, Is.EqualTo(new[] { "42", "n=42.5", "[1, 2, 3]" }));
    }

    [Test]
    public async Task BlockWithoutResultPrintsAndLogs()
    {
        var run = await RunAsync("""
            csharp {
              Print("hello from C#");
              Log.Warning("careful");
            }
            """);
        Assert.That(run.Summary.Status, Is.EqualTo(RunStatus.Succeeded), run.Failure);
        Assert.That(run.Output, Is.EqualTo(new[] { "hello from C#" }));
        Assert.That(run.Summary.Warnings, Has.Some.Contains("careful"));
        Assert.That(run.Workspace.Values, Is.Empty);
    }

    [Test]
    public async Task LaterBlocksSeeEarlierVariablesAndFunctions()
    {
        var run = await RunAsync("""
            csharp {
              var offset = 0.25;
              static double BandWave(string band) => band switch { "G" => 0.622, "BP" => 0.511, "RP" => 0.777, _ => double.NaN };
            }
            print "between"
            csharp { BandWave("RP") + offset } as w
            """);
        Assert.That(run.Summary.Status, Is.EqualTo(RunStatus.Succeeded), run.Failure);
        Assert.That(((NumberValue)run.Workspace.Values["w"]).Value, Is.EqualTo(0.777 + 0.25).Within(1e-12));
    }

    [Test]
    public async Task SelectWhereCallsAStaticFunctionOfABlock()
    {
        var run = await RunAsync($$"""
            load "{{Sample}}" as field
            csharp {
              static bool IsRed(double bp, double rp) => bp - rp > 1.0;
            }
            select field where IsRed(bp_mag, rp_mag) as red
            """);
        Assert.That(run.Summary.Status, Is.EqualTo(RunStatus.Succeeded), run.Failure);
        var field = run.Workspace.GetTable("field");
        var expected = Enumerable.Range(0, field.RowCount).Count(i =>
            !field.FindColumn("bp_mag")!.IsNull(i) && !field.FindColumn("rp_mag")!.IsNull(i)
            && field.FindColumn("bp_mag")!.GetDouble(i) - field.FindColumn("rp_mag")!.GetDouble(i) > 1.0);
        Assert.That(expected, Is.InRange(1, field.RowCount - 1), "the sample has red and blue sources");
        Assert.That(run.Workspace.GetTable("red").RowCount, Is.EqualTo(expected));
    }

    [Test]
    public async Task ExceptionFailsTheStepWithTheCSharpMessageAndTheVosLine()
    {
        var run = await RunAsync("""
            let a = 1
            csharp {
              var rows = 3;
              if (rows > a) throw new InvalidOperationException("too many rows: " + rows);
            }
            print "not reached"
            """);
        Assert.That(run.Summary.Status, Is.EqualTo(RunStatus.Failed));
        var failed = run.Summary.Steps.Single(s => s.Status == StepStatus.Failed);
        Assert.That(failed.Step.Origin, Is.EqualTo("t.vos:2"));
        Assert.That(failed.Message, Is.EqualTo("the C# code threw InvalidOperationException at line 4: too many rows: 3"));
        Assert.That(run.Output, Is.Empty);
    }

    [Test]
    public async Task MissingColumnNamesTheColumnsThereAre()
    {
        var run = await RunAsync($$"""
            load "{{Sample}}" as field
            csharp { field.Double("nope").Length } as n
            """);
        Assert.That(run.Failure, Does.StartWith("the C# code threw ArgumentException at line 2: table 'field' has no column 'nope'; its columns are source_id, ra, dec"));
    }

    [Test]
    public async Task TimeLimitCancelsTheToken()
    {
        var run = await RunAsync("csharp { await Task.Delay(TimeSpan.FromSeconds(30), CancellationToken); }",
            new CSharpRunOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        Assert.That(run.Failure, Is.EqualTo("the C# code stopped at its time limit of 0.3 s; raise it with --csharp-timeout"));
    }

    [Test]
    public async Task CodeIgnoringTheTokenIsReportedAfterTheLimitAndGrace()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = await RunAsync("csharp { var until = DateTime.UtcNow.AddSeconds(5); while (DateTime.UtcNow < until) { } }",
            new CSharpRunOptions { Timeout = TimeSpan.FromMilliseconds(300), Grace = TimeSpan.FromMilliseconds(200) });
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(4)), "the step does not wait for the code");
        Assert.That(run.Failure, Does.StartWith("the C# code ran past its time limit of 0.3 s and did not stop when its CancellationToken was cancelled"));
    }

    [Test]
    public void CompileErrorsPointAtTheVosLineAndColumn()
    {
        var r = Compile("let a = 1\ncsharp {\n  var x = a +\n      undefinedThing;\n}\n");
        Assert.That(r.Plan, Is.Null);
        var d = r.Diagnostics.Single();
        Assert.That(d.ToString(), Is.EqualTo("t.vos:4:7: error CS0103: The name 'undefinedThing' does not exist in the current context"));
        Assert.That(d.Span.Start, Is.EqualTo(r.Source.IndexOf("undefinedThing", StringComparison.Ordinal)));
    }

    [Test]
    public void NoCSharpRefusesEveryBlockBeforeAnythingCompiles()
    {
        var before = CSharpRoslyn.Compilations;
        var r = Compile("csharp { 1 } as a\nprint a\ncsharp { Print(\"x\"); }\n", allowCSharp: false);
        Assert.That(r.Plan, Is.Null);
        Assert.That(r.Diagnostics.Select(d => (d.Code, d.Span.Line)), Is.EqualTo(new[] { (DiagnosticCodes.CSharpRefused, 1), (DiagnosticCodes.CSharpRefused, 3) }));
        Assert.That(CSharpRoslyn.Compilations, Is.EqualTo(before), "a refused block is not compiled");
    }

    [Test]
    public void SecondCompileOfTheSameBlocksComesFromTheCache()
    {
        var text = $"let k = {Random.Shared.Next()}\ncsharp {{ var x = k; }}\ncsharp {{ x * 2 }} as y\n";
        var before = CSharpRoslyn.Compilations;
        Assert.That(Compile(text).Diagnostics, Is.Empty);
        Assert.That(CSharpRoslyn.Compilations - before, Is.EqualTo(2));
        var files = Directory.GetFiles(CSharpCacheDirectory.Path, "*.dll").Length;
        Assert.That(Compile(text).Diagnostics, Is.Empty);
        Assert.That(CSharpRoslyn.Compilations - before, Is.EqualTo(2), "nothing compiled the second time");
        Assert.That(Directory.GetFiles(CSharpCacheDirectory.Path, "*.dll").Length, Is.EqualTo(files));

        // a third block after two cached ones: the two are compiled again in memory (same assemblies), the new one is added
        Assert.That(Compile(text + "csharp { y + 1 } as z\n").Diagnostics, Is.Empty);
        Assert.That(CSharpRoslyn.Compilations - before, Is.EqualTo(5));
        Assert.That(Directory.GetFiles(CSharpCacheDirectory.Path, "*.dll").Length, Is.EqualTo(files + 1));
    }

    [Test]
    public async Task CachedBlocksRunInANewRuntime()
    {
        var text = $"let k = {Random.Shared.Next(1000)}\ncsharp {{ var x = k; static double Half(double v) => v / 2; }}\ncsharp {{ Half(x * 2) }} as y\n";
        Assert.That(Compile(text).Diagnostics, Is.Empty);
        var before = CSharpRoslyn.Compilations;
        var run = await RunAsync(text);
        Assert.That(CSharpRoslyn.Compilations, Is.EqualTo(before), "compiled from the cache");
        Assert.That(run.Summary.Status, Is.EqualTo(RunStatus.Succeeded), run.Failure);
        Assert.That(run.Workspace.Values["y"], Is.EqualTo(run.Workspace.Values["k"]));
    }

    [Test]
    public void TableResultOfUnknownColumnsCanBeSelectedAndSaved()
    {
        var r = Compile($$"""
            load "{{Sample}}" as field
            csharp { field.Where(r => r.String("class") == "star") } as stars
            select stars where g_mag < 15 as bright
            save bright to "bright.vot"
            """);
        Assert.That(r.Diagnostics, Is.Empty, r.FormatDiagnostics());
        Assert.That(r.Plan!.Steps.Select(s => s.Kind), Is.EqualTo(new[] { "load", "csharp", "select", "save" }));
        Assert.That(r.Plan.Steps[1].DependsOn, Is.EqualTo(new[] { "s1" }));
    }

    [Test]
    public async Task ScriptTableGivesColumnsRowsAndNewTables()
    {
        var run = await RunAsync($$"""
            load "{{Sample}}" as field
            csharp {
              var ids = field.Values<long>("source_id");
              var classes = field.String("class");
              var nullBp = field.IsNull("bp_mag").Count(n => n);
              var galaxies = field.Where(r => r.String("class") == "galaxy");
              var firstRa = field.Rows.First().Double("ra");
              Print($"{ids.Length} {ids.Span[0]} {classes[0]} {nullBp} {galaxies.RowCount} {firstRa} {field.HasColumn("G_MAG")}");
              galaxies.With("kind", galaxies.String("class"), ucd: "src.class")
            } as galaxies
            """);
        Assert.That(run.Summary.Status, Is.EqualTo(RunStatus.Succeeded), run.Failure);
        var field = run.Workspace.GetTable("field");
        var galaxies = Enumerable.Range(0, field.RowCount).Count(i => field.FindColumn("class")!.FormatCell(i) == "galaxy");
        var nullBp = field.FindColumn("bp_mag")!.NullCount;
        Assert.That(galaxies, Is.GreaterThan(0));
        Assert.That(run.Output, Is.EqualTo(new[]
        {
            $"40 3834000000000016081 star {nullBp} {galaxies} {field.FindColumn("ra")!.GetDouble(0).ToString(System.Globalization.CultureInfo.InvariantCulture)} True",
        }));
        var result = run.Workspace.GetTable("galaxies");
        Assert.That(result.RowCount, Is.EqualTo(galaxies));
        Assert.That(result.FindColumn("kind")!.FormatCell(0), Is.EqualTo("galaxy"));
    }

    [Test]
    public async Task BracesInStringsAndCommentsAreCSharpNotTheEndOfTheBlock()
    {
        var run = await RunAsync(""""
            let n = 3
            csharp {
              var open = '{';
              var text = "}}"; // }
              /* } */
              var verbatim = @"a ""}"" b";
              var hole = $"{n} rows {{";
              var raw = """
                { "x": } }
                """;
              Print(text + "|" + verbatim + "|" + hole + "|" + raw + "|" + open);
            }
            """");
        Assert.That(run.Summary.Status, Is.EqualTo(RunStatus.Succeeded), run.Failure);
        Assert.That(run.Output, Is.EqualTo(new[] { "}}|a \"}\" b|3 rows {|{ \"x\": } }|{" }));
    }

    [Test]
    public async Task TableNamedLikeAGlobalStaysReachableThroughTables()
    {
        var run = await RunAsync($$"""
            load "{{Sample}}" as Log
            csharp { Log.Info("still the log"); Tables["Log"].RowCount } as rows
            """);
        Assert.That(run.Summary.Status, Is.EqualTo(RunStatus.Succeeded), run.Failure);
        Assert.That(run.Workspace.Values["rows"], Is.EqualTo(new NumberValue(40)));
    }

    [Test]
    public async Task EmptyBlocksDoNothingAndKeepTheChain()
    {
        var text = "csharp {\n}\ncsharp { var a = 2; }\ncsharp {  // only a comment\n}\ncsharp { a * 3 } as b\nprint b\n";
        var run = await RunAsync(text);
        Assert.That(run.Summary.Status, Is.EqualTo(RunStatus.Succeeded), run.Failure);
        Assert.That(run.Output, Is.EqualTo(new[] { "6" }));
        var cached = await RunAsync(text);
        Assert.That(cached.Output, Is.EqualTo(new[] { "6" }), cached.Failure);
    }

    [Test]
    public async Task TopLevelReturnGivesTheBlocksResultWithBranches()
    {
        var run = await RunAsync("""
            let a = 5
            csharp { if (a > 3) return a + 2; return 0; } as b
            csharp {
              if (b > 100) return "big";
              return "small";
            } as size
            print b
            print size
            """);
        Assert.That(run.Summary.Status, Is.EqualTo(RunStatus.Succeeded), run.Failure);
        Assert.That(run.Output, Is.EqualTo(new[] { "7", "small" }));
    }

    [Test]
    public void ReturnsInLambdasAndLocalFunctionsAreNotTheBlocksResult()
    {
        var c = Compile("""
            csharp {
              int Twice(int x) { return 2 * x; }
              Func<int, string> f = x => { return x.ToString(); };
              return Twice(3);
            } as n
            let m = 1
            """);
        Assert.That(c.Diagnostics, Is.Empty, c.FormatDiagnostics());
    }

    [Test]
    public void ReturnsOfDifferentKindsAreAnErrorNamingBothLines()
    {
        var c = Compile("""
            let a = 5
            csharp {
              if (a > 3) return a + 2;
              return "none";
            } as b
            """);
        var d = c.Diagnostics.Single(x => x.IsError);
        Assert.That(d.Code, Is.EqualTo("VOS0602"));
        Assert.That(d.Span.Line, Is.EqualTo(4));
        Assert.That(d.Message, Does.Contain("returns a string on line 4 but a number (double) on line 3"));
    }
}

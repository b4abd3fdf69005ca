namespace VoScript.Cli.Tests;

/// <summary>
/// The launcher's two builds (.build/native: NativeAOT; .build/cli: JIT): the native one must answer as the JIT one does
/// (compile, plan, every verb, files written byte for byte), and hand what it cannot run (csharp blocks, the REPL, serve)
/// to the JIT build. Runs the launcher's builds as processes, so it is an integration test; in CI (CI=true, where the
/// test script installs clang) a missing native build fails it.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public class NativeBuildTests
{
    private static string Native => Repo.PathOf(Path.Combine(".build", "native", "voscript"));
    private static string Jit => Repo.PathOf(Path.Combine(".build", "cli", "voscript"));
    private string _dir = "";

    [OneTimeSetUp]
    public void Build()
    {
        var build = Repo.Shell("./voscript --version", 900);
        Assert.That(build.ExitCode, Is.EqualTo(0), build.Err);
        if (!File.Exists(Native))
        {
            var why = $"no native build at {Native}: {build.Err}";
            if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(why);
            Assert.Ignore(why);
        }
    }

    [SetUp]
    public void MakeDir() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "vos-native-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private static Repo.Result Both(string exe, string args, string env = "") => Repo.Shell($"{env} '{exe}' {args}", 120);

    /// <summary>The shipped scripts, the documentation's and the compiler's golden cases (their mistakes and plans).</summary>
    public static IEnumerable<string> Scripts() =>
        new[] { "scripts", "docs/examples", "tests/VoScript.Dsl.Tests/cases" }
            .SelectMany(d => Directory.GetFiles(Repo.PathOf(d), "*.vos", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(Repo.Root, f))
            .Order(StringComparer.Ordinal);

    [TestCaseSource(nameof(Scripts))]
    public void CheckAndPlanSayWhatTheJitBuildSays(string script)
    {
        foreach (var command in new[] { "check", "plan" })
        {
            var native = Both(Native, $"{command} '{script}'");
            var jit = Both(Jit, $"{command} '{script}'");
            Assert.That((native.ExitCode, native.Out, native.Err), Is.EqualTo((jit.ExitCode, jit.Out, jit.Err)), $"voscript {command} {script}");
        }
    }

    [Test]
    public void SyntaxHelpAndMistakesAreTheSame()
    {
        foreach (var args in new[] { "syntax", "--help", "run --help", "repl --help", "serve --help", "check docs/examples/typo.vos", "run nothing.vos", "bogus" })
        {
            var native = Both(Native, args);
            var jit = Both(Jit, args);
            Assert.That((native.ExitCode, native.Out, native.Err), Is.EqualTo((jit.ExitCode, jit.Out, jit.Err)), "voscript " + args);
        }
    }

    [Test]
    public void EveryVerbWritesTheSameFiles()
    {
        var field = Repo.PathOf("scripts/data/field");
        string Script(string build)
        {
            var dir = Path.Combine(_dir, build);
            Directory.CreateDirectory(dir);
            var path = Path.Combine(_dir, build + ".vos");
            File.WriteAllText(path, $$"""
                load "{{field}}/cat_a.vot" as a
                load "{{field}}/cat_b.vot" as b
                load "{{field}}/cat_c.vot" as c
                match a, b within 2 arcsec as ab
                match a, c within 2 arcsec best for a as ac
                cluster a, b, c within 2 arcsec as objects
                sed objects as seds
                group seds by object_id with n = count(), p = mean_position(ra, dec) as per_object
                derive ab with d = separation * 2 unit "arcsec" as derived
                sort derived by d desc as sorted
                top 10 of sorted as ten
                distinct seds by object_id as firsts
                keep firsts columns object_id, ra, dec as picks
                select seds where count(source_table = "a") > 0 as many
                stack a, b as both
                save ab to "{{dir}}/ab.fits"
                save ac to "{{dir}}/ac.vot" as binary2
                save per_object to "{{dir}}/per_object.vot"
                save ten to "{{dir}}/ten.csv"
                save picks to "{{dir}}/picks.vot" as tabledata
                save many to "{{dir}}/many.vot"
                save both to "{{dir}}/both.fits"
                plot seds to "{{dir}}/seds.png"
                show ten limit 3
                """);
            return path;
        }
        var native = Both(Native, $"run --quiet '{Script("native")}'");
        Assert.That(native.ExitCode, Is.EqualTo(0), native.Out + native.Err);
        var jit = Both(Jit, $"run --quiet '{Script("jit")}'");
        Assert.That(jit.ExitCode, Is.EqualTo(0), jit.Out + jit.Err);
        Assert.That(native.Out, Is.EqualTo(jit.Out).And.Contains("ten: first 3 of 10 rows"));
        foreach (var file in new[] { "ab.fits", "ac.vot", "per_object.vot", "ten.csv", "picks.vot", "many.vot", "both.fits", "seds.png" })
            Assert.That(File.ReadAllBytes(Path.Combine(_dir, "native", file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(_dir, "jit", file))), file);
        Assert.That(new FileInfo(Path.Combine(_dir, "native", "seds.png")).Length, Is.GreaterThan(10_000), "the plot (ScottPlot, SkiaSharp) draws in the native build");
    }

    [Test]
    public void ShowAndConvertAreTheSame()
    {
        var field = Repo.PathOf("scripts/data/field");
        foreach (var args in new[] { $"show '{field}/cat_b.vot'", $"show '{field}/cat_b.vot' --stats", $"show '{field}/obscore.vot' --format csv -n 5",
                     "show tests/VoScript.Engine.Tests/data/missing.vot" })
        {
            var native = Both(Native, args);
            var jit = Both(Jit, args);
            Assert.That((native.ExitCode, native.Out, native.Err), Is.EqualTo((jit.ExitCode, jit.Out, jit.Err)), "voscript " + args);
        }
        foreach (var format in new[] { "tabledata", "binary", "binary2", "csv", "fits" })
        {
            var outputs = new[] { "native", "jit" }.Select(build =>
            {
                var file = Path.Combine(_dir, $"{build}.{format}");
                var r = Both(build == "native" ? Native : Jit, $"convert '{field}/cat_c.vot' '{file}' --format {format}");
                Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
                return File.ReadAllBytes(file);
            }).ToList();
            Assert.That(outputs[0], Is.EqualTo(outputs[1]), "convert --format " + format);
        }
    }

    [Test]
    public void CSharpBlocksAreHandedToTheJitBuild()
    {
        var script = Path.Combine(_dir, "cs.vos");
        File.WriteAllText(script, "let x = 6\ncsharp { x * 7 } as y\nprint y\n");
        var r = Both(Native, $"run '{script}'", "VOSCRIPT_TIMINGS=1");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        Assert.That(r.Out, Does.Contain("42"));
        Assert.That(r.Err, Does.Contain("native build: csharp blocks: handed over to the JIT build"));
        var check = Both(Native, $"check '{script}'");
        Assert.That(check.ExitCode, Is.EqualTo(0), check.Err);
        Assert.That(check.Out.Trim(), Is.EqualTo(script + ": ok"));
        var refused = Both(Native, $"run --no-csharp '{script}'");
        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(refused.Err, Does.Contain("VOS0601"), "--no-csharp is answered by the native build itself");
    }

    [Test]
    public void TheReplAndServeAreHandedToTheJitBuild()
    {
        // stdin is not a terminal: the JIT build's REPL says so (the native build has no REPL to say it)
        var repl = Both(Native, "repl < /dev/null", "VOSCRIPT_TIMINGS=1");
        Assert.That(repl.ExitCode, Is.EqualTo(2), repl.Err);
        Assert.That(repl.Err, Does.Contain("handed over to the JIT build").And.Contains("voscript repl: needs a terminal"));
        var serve = Both(Native, "serve no-such-file.vot --port 0");
        Assert.That(serve.ExitCode, Is.Not.EqualTo(0));
        Assert.That(serve.Err, Does.Contain("no-such-file.vot"), "the JIT build's serve read the arguments");
    }

    [Test]
    public void WithoutTheJitBuildTheNativeOneSaysWhatIsMissing()
    {
        var script = Path.Combine(_dir, "cs.vos");
        File.WriteAllText(script, "csharp { Print(\"hi\"); }\n");
        var r = Both(Native, $"run '{script}'", $"VOSCRIPT_JIT_BUILD='{_dir}/none'");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Err, Does.Contain("hands csharp blocks to the JIT build of voscript, and there is none"));
        Assert.That(r.Err, Does.Not.Contain("   at "));
    }
}

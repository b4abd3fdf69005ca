using NUnit.Framework;
using VoScript.Engine.Formats.VOTable;
using VoScript.Integration.Tests.Protocols;
using VoScript.Integration.Tests.Serve;

namespace VoScript.Integration.Tests.Language;

/// <summary>
/// Issue 17 items 1, 2, 3 and 7 as a user writes them, run by the <c>voscript</c> command
/// against the DaCHS rig: service sets printed, filtered, made from a table and asked once per
/// endpoint; a failing query with <c>on error continue</c> (and <c>--strict</c>); ADQL values;
/// <c>fetch</c> of the rig's ObsCore spectra.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public class FlowScriptTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        DachsRig.RequireUp();
        _dir = Path.Combine(Path.GetTempPath(), "voscript-flow-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private async Task<(int Code, string Out, string Err)> Run(string script, params string[] options)
    {
        var file = Path.Combine(_dir, "flow.vos");
        await File.WriteAllTextAsync(file, script.Replace("DIR", _dir, StringComparison.Ordinal).Replace("TAP", DachsRig.TapUrl.ToString(), StringComparison.Ordinal));
        return await ServeProcess.RunAsync("dotnet", [ServeProcess.CliDll, "run", file, .. options], 300);
    }

    [Test]
    public async Task ServiceSetsArePrintedFilteredAndAskedOncePerEndpoint()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "mine.csv"), $"name,url\nrig,{DachsRig.TapUrl}\nrig-again,{DachsRig.TapUrl.ToString().ToUpperInvariant().Replace("/TAP", "/tap")}/\n");
        var (code, output, err) = await Run("""
            service rr = registry "TAP"
            find services tap in rr with table "ivoa.obscore" as archives
            print archives
            show archives
            select archives where standard_id = "ivo://ivoa.net/std/tap" as main_only
            print main_only
            query each archives as spectra { SELECT obs_id FROM ivoa.obscore }
            print spectra
            save spectra to "DIR/spectra.vot"
            load "DIR/mine.csv" as listed
            services tap from listed column url as mine
            query each mine as counts { SELECT COUNT(*) AS n FROM ivoa.obscore }
            show counts
            """);
        Assert.That(code, Is.EqualTo(0), output + err);
        Assert.That(output, Does.Contain("archives: 2 rows"));
        Assert.That(output, Does.Contain("specs.main").And.Contain("ivo://rig.test/tap"), "both records shown");
        Assert.That(output, Does.Contain("main_only: 1 rows").Or.Contain("main_only: 1 row"));
        Assert.That(output, Does.Contain("spectra: 50 rows"), "each spectrum once");
        Assert.That(err, Does.Contain("have the same access URL"));
        var spectra = VOTableReader.ReadFile(Path.Combine(_dir, "spectra.vot"));
        Assert.That(spectra.FindColumn("service_records")!.FormatCell(0), Does.Contain("ivo://rig.test/tap").And.Contain("ivo://rig.test/specs/q/main"));
        Assert.That(output, Does.Contain("rig, rig-again"), "the merged records of the table's own list");
    }

    private const string Failing = """
        service rig = tap "TAP"
        query rig as extra on error continue { SELECT source_id, ra AS r FROM no_such.table }
        print extra
        query rig as ok { SELECT TOP 2 source_id FROM cat_a.main }
        print ok
        """;

    [Test]
    public async Task AFailedQueryWithOnErrorContinueLeavesAnEmptyTableAndExitZero()
    {
        var (code, output, err) = await Run(Failing);
        Assert.That(code, Is.EqualTo(0), output + err);
        Assert.That(output, Does.Contain("extra: 0 rows, 2 columns (source_id, r)"));
        Assert.That(output, Does.Contain("ok: 2 rows"));
        Assert.That(err, Does.Contain("warning: ").And.Contain("rig failed, so extra has no rows (on error continue)"));
        Assert.That(err, Does.Not.Contain("   at "));
    }

    [Test]
    public async Task StrictMakesTheSameFailureFailTheRun()
    {
        var (code, output, err) = await Run(Failing, "--strict");
        Assert.That(code, Is.EqualTo(1), output + err);
        Assert.That(err, Does.Contain("the run is strict"));
    }

    [Test]
    public async Task AdqlValuesAreSentVerbatimAndTheSpectraFetched()
    {
        var (code, output, err) = await Run("""
            param ra = 150.0
            param dec = 2.2
            service rig = tap "TAP"
            let field = adql { CIRCLE('ICRS', ${ra}, ${dec}, ${6 arcmin}) }
            let q = adql { SELECT obs_id, access_url, access_format FROM ivoa.obscore WHERE 1 = CONTAINS(POINT('ICRS', s_ra, s_dec), ${field}) }
            query rig as sync_result { ${q} }
            query rig async as async_result { ${q} }
            await async_result
            print sync_result
            print async_result
            fetch sync_result to "DIR/spectra/" as files
            select files where status = "fetched" as good
            print good
            """);
        Assert.That(code, Is.EqualTo(0), output + err);
        var rows = System.Text.RegularExpressions.Regex.Match(output, @"sync_result: (\d+) rows").Groups[1].Value;
        Assert.That(int.Parse(rows), Is.GreaterThan(0));
        Assert.That(output, Does.Contain($"async_result: {rows} rows"));
        Assert.That(output, Does.Contain($"good: {rows} rows"));
        Assert.That(Directory.GetFiles(Path.Combine(_dir, "spectra")), Has.Length.EqualTo(int.Parse(rows)));
        Assert.That(Directory.GetFiles(Path.Combine(_dir, "spectra"), "*.part"), Is.Empty);
    }
}

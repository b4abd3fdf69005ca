using NUnit.Framework;
using VoScript.Cli.Commands;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Protocols.Tap;
using VoScript.Engine.Formats.VOTable;
using VoScript.Integration.Tests.Language;
using VoScript.Engine;

namespace VoScript.Integration.Tests.Protocols;

/// <summary>Commands against real servers: the tap command against the DaCHS rig and <c>voscript serve</c>; the rest against DaCHS (its registry, its quirks).</summary>
[Category("Integration")]
[NonParallelizable]
public class CommandRigTests
{
    [TestCase(TapServers.Dachs)]
    [TestCase(TapServers.Serve)]
    public async Task TapCommandAsyncShowsPhasesAndWritesTheResult(string server)
    {
        var tap = TapServers.Url(server).ToString();
        var err = new StringWriter();
        var path = Path.Combine(Path.GetTempPath(), $"voscript-tap-{Guid.NewGuid():N}.vot");
        try
        {
            var rc = await TapCommand.RunAsync(tap, "SELECT TOP 7 source_id, g_mag FROM cat_a.main ORDER BY source_id",
                isAsync: true, maxrec: null, uploads: [], output: path, timeoutSeconds: 120, keep: "never", verbose: false, err, CancellationToken.None);
            var text = err.ToString();
            Assert.That(rc, Is.EqualTo(0), text);
            Assert.That(text, Does.Contain("job created: "));
            Assert.That(text, Does.Contain("job phase: COMPLETED"));
            Assert.That(text, Does.Contain("7 rows written to " + path));
            Assert.That(VOTableReader.ReadFile(path).RowCount, Is.EqualTo(7));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase(TapServers.Dachs)]
    [TestCase(TapServers.Serve)]
    public async Task TapCommandPrintsTheServiceErrorWithoutStackTrace(string server)
    {
        var tap = TapServers.Url(server).ToString();
        var err = new StringWriter();
        var rc = await TapCommand.RunAsync(tap, "SELECT nosuch FROM cat_a.main", false, null, [], null, 60, "never", false, err, CancellationToken.None);
        Assert.That(rc, Is.EqualTo(1));
        Assert.That(err.ToString(), Does.StartWith("voscript: TAP query failed; the service says: "));
        Assert.That(err.ToString(), Does.Not.Contain("   at "));
    }

    [TestCase(TapServers.Dachs)]
    [TestCase(TapServers.Serve)]
    public async Task TapCommandUploadsAVOTableFile(string server)
    {
        var tap = TapServers.Url(server).ToString();
        var path = Path.Combine(Path.GetTempPath(), $"voscript-up-{Guid.NewGuid():N}.vot");
        var t = new VoScript.Engine.Model.Table("ids");
        t.AddColumn(new VoScript.Engine.Model.StringColumn(new VoScript.Engine.Model.Field("obs_id", VoScript.Engine.Model.DataType.Char, VoScript.Engine.Model.ArraySize.Variable), ["spec_0003", "spec_0004"]));
        VOTableWriter.WriteFile(t, path);
        var outPath = Path.ChangeExtension(path, ".csv");
        try
        {
            var err = new StringWriter();
            var rc = await TapCommand.RunAsync(tap, "SELECT o.obs_id FROM TAP_UPLOAD.ids AS u JOIN ivoa.obscore AS o ON o.obs_id = u.obs_id ORDER BY o.obs_id",
                false, null, [$"ids={path}"], outPath, 60, "never", false, err, CancellationToken.None);
            Assert.That(rc, Is.EqualTo(0), err.ToString());
            Assert.That(File.ReadAllLines(outPath), Is.EqualTo(new[] { "obs_id", "spec_0003", "spec_0004" }));
        }
        finally
        {
            File.Delete(path);
            File.Delete(outPath);
        }
    }

    [Test]
    public async Task ServicesCommandListsConeSearchesOfTheRigRegistry()
    {
        DachsRig.RequireUp();
        var err = new StringWriter();
        var q = new VoScript.Engine.Protocols.Registry.RegistryQuery { Kinds = [VoScript.Engine.ServiceProtocol.Scs], Waveband = "optical" };
        var output = new StringWriter();
        var rc = await ServicesCommand.RunAsync(q, DachsRig.TapUrl.ToString(), false, err, CancellationToken.None, output);
        Assert.That(rc, Is.EqualTo(0), err.ToString());
        Assert.That(output.ToString(), Does.Contain("ivo://rig.test/cat_a/q/cone").And.Contain("/cat_a/q/cone/scs.xml?").And.Contain("1 service"));
        Assert.That(output.ToString(), Does.Not.Contain("cat_b"), "cat_b is infrared");
        var bad = await ServicesCommand.RunAsync(q, "not a url", false, err, CancellationToken.None);
        Assert.That(bad, Is.EqualTo(1));
        Assert.That(err.ToString(), Does.Contain("voscript: Registry URL 'not a url' is not an http(s) URL."));
    }

    [Test]
    public async Task LintFindsDaChsQuirksAndNoErrors()
    {
        DachsRig.RequireUp();
        using var http = new VoHttpClient();
        var lint = new TapLint(new TapService(DachsRig.TapUrl, http));
        var findings = await lint.RunAsync();
        var codes = findings.Select(f => f.Code).ToList();
        Assert.That(findings.Where(f => f.Severity == LintSeverity.Error), Is.Empty, string.Join("\n", findings));
        Assert.That(codes, Does.Contain("W-CAP-05"), "VOSI endpoints under /__system__");
        Assert.That(codes, Does.Contain("W-MRC-04"), "TOP 3 with MAXREC=1 gives 2 rows on DaCHS 2.7");
        Assert.That(codes, Does.Contain("I-ASY-12").And.Contain("I-UPL-02"));
    }

    [Test]
    public async Task ExtraRowsBeyondMaxrecAreDroppedWithAWarning()
    {
        DachsRig.RequireUp();
        using var http = new VoHttpClient();
        var r = await new TapService(DachsRig.TapUrl, http).QueryAsync(new TapQuery("SELECT TOP 3 * FROM cat_a.main") { MaxRec = 1 });
        Assert.That(r.Table.RowCount, Is.EqualTo(1));
        Assert.That(r.Truncated, Is.True);
        Assert.That(r.Cause, Is.EqualTo(TruncationCause.UserMaxRec));
        Assert.That(r.Warnings.Single(), Is.EqualTo("The service returned 2 rows for MAXREC=1; the rows beyond 1 were dropped."));
    }
}

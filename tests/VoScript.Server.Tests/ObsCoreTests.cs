using System.Net;
using VoScript.Engine.Model;
using VoScript.Server.Tap;

namespace VoScript.Server.Tests;

public class ObsCoreTests
{
    /// <summary>An ObsCore table with two rows (one relative access_url to spectra/s1.vot, one absolute) missing most mandatory columns; writes the files it names.</summary>
    internal static Table SmallObsCore(string dir)
    {
        Directory.CreateDirectory(Path.Combine(dir, "spectra"));
        File.WriteAllText(Path.Combine(dir, "spectra", "s1.vot"), "<VOTABLE/>");
        File.WriteAllBytes(Path.Combine(dir, "spectra", "s 2.fits"), new byte[2880]);
        var t = new Table("obscore");
        t.AddColumn(new StringColumn(new Field("obs_id", DataType.Char, ArraySize.Variable), ["a", "b", "c"]));
        t.AddColumn(new StringColumn(new Field("access_url", DataType.Char, ArraySize.Variable) { Ucd = "meta.ref.url" },
            ["spectra/s1.vot", "http://example.org/x.fits", "./spectra/s 2.fits"]));
        return t;
    }

    [Test]
    public void RelativeAccessUrlsAreRewrittenToTheFilesEndpoint()
    {
        var dir = Directory.CreateTempSubdirectory("voscript-obscore").FullName;
        try
        {
            var t = SmallObsCore(dir);
            var warnings = ObsCoreTable.RewriteAccessUrls(t, dir, "http://127.0.0.1:9/files/");
            var urls = (StringColumn)t.FindColumn("access_url")!;
            Assert.That(urls.Values, Is.EqualTo(new[] { "http://127.0.0.1:9/files/spectra/s1.vot", "http://example.org/x.fits", "http://127.0.0.1:9/files/spectra/s%202.fits" }));
            Assert.That(warnings, Is.Empty);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void AccessUrlsNamingNoFileAreKeptWithAWarning()
    {
        var dir = Directory.CreateTempSubdirectory("voscript-obscore").FullName;
        try
        {
            var t = new Table("obscore");
            t.AddColumn(new StringColumn(new Field("access_url", DataType.Char, ArraySize.Variable), ["../outside.fits", "missing.vot"]));
            var warnings = ObsCoreTable.RewriteAccessUrls(t, dir, "http://127.0.0.1:9/files/");
            Assert.That(((StringColumn)t.Columns[0]).Values, Is.EqualTo(new[] { "../outside.fits", "missing.vot" }));
            Assert.That(warnings, Is.EqualTo(new[] { $"2 access_url value(s) name no file under {dir} and are left as they are (first: ../outside.fits)" }));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void MissingMandatoryColumnsAreListed()
    {
        var t = new Table("obscore");
        t.AddColumn(new StringColumn(new Field("obs_id", DataType.Char, ArraySize.Variable), ["a"]));
        var missing = ObsCoreTable.MissingColumns(t);
        Assert.That(missing, Has.Count.EqualTo(29));
        Assert.That(missing, Does.Contain("access_url").And.Contain("em_res_power").And.Not.Contain("obs_id"));
    }

    [Test]
    public async Task ServiceServesTheFilesWithTheirContentTypesAndNothingOutsideTheFolder()
    {
        var dir = Directory.CreateTempSubdirectory("voscript-obscore").FullName;
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(dir)!, "secret-" + Path.GetFileName(dir) + ".txt"), "no");
        await using var s = await TapTestServer.StartAsync(obscore: (Path.Combine(dir, "obscore.vot"), SmallObsCore(dir)));
        try
        {
            Assert.That(s.Summary.Warnings, Does.Contain($"{Path.Combine(dir, "obscore.vot")}: ObsCore 1.1 mandatory column calib_level is missing"));
            using var q = await s.PostAsync("/sync", ("LANG", "ADQL"), ("QUERY", "SELECT * FROM ivoa.obscore"));
            var t = TapTestServer.ReadVOTable(await q.Content.ReadAsByteArrayAsync());
            var url = ((StringColumn)t.FindColumn("access_url")!)[0]!;
            Assert.That(url, Is.EqualTo(new Uri(s.Server.TapUrl, "/files/spectra/s1.vot").ToString()));
            using var vot = await s.Http.GetAsync(url);
            Assert.That((vot.StatusCode, vot.Content.Headers.ContentType!.MediaType, await vot.Content.ReadAsStringAsync()),
                Is.EqualTo((HttpStatusCode.OK, "application/x-votable+xml", "<VOTABLE/>")));
            using var fits = await s.Http.GetAsync(((StringColumn)t.FindColumn("access_url")!)[2]!);
            Assert.That((fits.StatusCode, fits.Content.Headers.ContentType!.MediaType, fits.Content.Headers.ContentLength),
                Is.EqualTo((HttpStatusCode.OK, "application/fits", 2880L)));
            using var outside = await s.Http.GetAsync(new Uri(s.Server.TapUrl, "/files/%2e%2e/secret-" + Path.GetFileName(dir) + ".txt"));
            Assert.That(outside.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            var caps = await s.Http.GetStringAsync(s.Tap + "/capabilities");
            Assert.That(caps, Does.Contain("<dataModel ivo-id=\"ivo://ivoa.net/std/ObsCore#core-1.1\">ObsCore-1.1</dataModel>"));
        }
        finally
        {
            Directory.Delete(dir, true);
            File.Delete(Path.Combine(Path.GetDirectoryName(dir)!, "secret-" + Path.GetFileName(dir) + ".txt"));
        }
    }

    [Test]
    public void SymbolicLinksOutOfTheFolderAreNotServed()
    {
        var dir = Directory.CreateTempSubdirectory("voscript-files").FullName;
        var outside = Path.GetTempFileName();
        try
        {
            File.CreateSymbolicLink(Path.Combine(dir, "link.vot"), outside);
            File.WriteAllText(Path.Combine(dir, "real.vot"), "x");
            Assert.That(ServedFiles.Resolve(dir, "link.vot"), Is.Null);
            Assert.That(ServedFiles.Resolve(dir, "real.vot"), Is.EqualTo(Path.Combine(dir, "real.vot")));
            Assert.That(ServedFiles.Resolve(dir, "../" + Path.GetFileName(outside)), Is.Null);
        }
        finally
        {
            Directory.Delete(dir, true);
            File.Delete(outside);
        }
    }
}

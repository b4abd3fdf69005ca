using System.Diagnostics;
using System.Text.Json;
using NUnit.Framework;
using VoScript.Engine.Formats.Fits;
using VoScript.Engine.Formats;
using VoScript.Engine.Formats.Streams;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;
using static VoScript.Engine.Tests.Formats.FitsTestSupport;

namespace VoScript.Engine.Tests.Formats;

/// <summary>
/// Cell-for-cell agreement of the FITS codec with astropy and STILTS, both ways: we read
/// what they write, they read what we write (nulls, unsigned, 64-bit, arrays, variable-length
/// arrays, strings), and STILTS gets the FITS-plus metadata back.
/// </summary>
[TestFixture]
[Category("Conformance")]
[NonParallelizable]
public class FitsConformanceTests
{
    private const string Python = "/usr/bin/python3";
    private string _dir = "";

    [OneTimeSetUp]
    public void Setup() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "fits-conformance-" + Guid.NewGuid().ToString("N")));

    [OneTimeTearDown]
    public void TearDown()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
    }

    private static string Script
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                var c = Path.Combine(d.FullName, "conformance", "astropy_fits.py");
                if (File.Exists(c)) return c;
            }
            Assert.Ignore("conformance/astropy_fits.py not found above " + AppContext.BaseDirectory);
            return "";
        }
    }

    private static void RequireAstropy()
    {
        if (!File.Exists(Python) || Run(Python, ["-c", "import astropy"], out _, out _) != 0)
            Assert.Ignore("astropy is not available (/usr/bin/python3 -c 'import astropy' failed); install python3-astropy");
    }

    private static void RequireStilts()
    {
        if (Run("stilts", ["-version"], out _, out _) != 0) Assert.Ignore("stilts is not installed (apt-get install stilts)");
    }

    private static int Run(string exe, string[] args, out string stdout, out string stderr)
    {
        try
        {
            var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            stdout = p.StandardOutput.ReadToEnd();
            stderr = err.Result;
            if (!p.WaitForExit(180_000)) { p.Kill(true); stderr += "timeout"; return -1; }
            return p.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            stdout = "";
            stderr = e.Message;
            return -1;
        }
    }

    private static string RunOk(string exe, params string[] args)
    {
        var rc = Run(exe, args, out var o, out var e);
        Assert.That(rc, Is.EqualTo(0), $"{exe} {string.Join(' ', args)} failed: {e}");
        return o;
    }

    /// <summary>Every cell of <paramref name="ours"/> equals astropy's reading of <paramref name="path"/>.</summary>
    private static void AssertAstropyAgrees(Table ours, string path)
    {
        using var doc = JsonDocument.Parse(RunOk(Python, Script, "dump", path));
        var cols = doc.RootElement.GetProperty("columns").EnumerateArray().ToList();
        Assert.That(doc.RootElement.GetProperty("rows").GetInt32(), Is.EqualTo(ours.RowCount));
        Assert.That(cols.Select(c => c.GetProperty("name").GetString()), Is.EqualTo(ours.Columns.Select(c => c.Name)));
        for (var c = 0; c < cols.Count; c++)
        {
            var cells = cols[c].GetProperty("cells").EnumerateArray().ToList();
            for (var r = 0; r < ours.RowCount; r++)
            {
                // astropy has no null booleans: FITS's undefined logical (0) reads as False there
                if (ours.Columns[c] is ScalarColumn<bool> && ours.Columns[c].IsNull(r) && FromJson(cells[r]) == "false") continue;
                Assert.That(Canon(ours.Columns[c], r), Is.EqualTo(FromJson(cells[r])), $"column {ours.Columns[c].Name}, row {r}");
            }
        }
    }

    [Test]
    public void WeReadWhatAstropyWrites()
    {
        RequireAstropy();
        var dir = Path.Combine(_dir, "astropy");
        RunOk(Python, Script, "make", dir);
        var path = Path.Combine(dir, "all.fits");
        var t = TableFiles.Read(path);
        AssertAstropyAgrees(t, path);
        Assert.That(t.Columns.Single(c => c.Name == "u16").Field.DataType, Is.EqualTo(DataType.Int));
        Assert.That(t.Columns.Single(c => c.Name == "u64").Field.DataType, Is.EqualTo(DataType.Long));
        Assert.That(t.Columns.Single(c => c.Name == "mat").Field.ArraySize.ToString(), Is.EqualTo("3x2"));
        Assert.That(t.Columns.Single(c => c.Name == "f64").Field.Unit, Is.EqualTo("deg"));
        var big = TableFiles.Read(Path.Combine(dir, "big-unsigned.fits"));
        Assert.That(big.Columns[0].GetDouble(2), Is.EqualTo(18446744073709551615.0));
        Assert.That(Assert.Catch<VoScriptException>(() => TableFiles.Read(Path.Combine(dir, "image.fits")))!.Message, Does.StartWith("not a table"));
    }

    [Test]
    public void AstropyReadsWhatWeWrite()
    {
        RequireAstropy();
        var t = FitsCodecTests.AllKinds();
        var path = Path.Combine(_dir, "ours-for-astropy.fits");
        using (var fs = File.Create(path)) FitsWriter.Write(t, fs);
        AssertAstropyAgrees(t, path);
        using var doc = JsonDocument.Parse(RunOk(Python, Script, "dump", path));
        var units = doc.RootElement.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("unit").GetString());
        Assert.That(units["ra"], Is.EqualTo("deg"));
        Assert.That(units["mag"], Is.EqualTo("mag"));
    }

    [Test]
    public void AstropyReadsWhatWeWriteAcrossChunksAndSlices()
    {
        RequireAstropy();
        // rows of every column kind: more than one chunk of the writer, each encoded in slices on all cores
        var t = FitsGoldenTests.RandomTable(25_001, 5, utf8Strings: true);
        Assert.That((long)t.RowCount * 200, Is.GreaterThan(FitsWriter.ChunkBytes));
        // a null cell of a fixed integer array without null elements has no FITS null: astropy reads the zeros written
        t.RemoveColumn(t.IndexOf("mat"));
        // nor does astropy mask TNULL elements of integer arrays (FitsArrayNullTests checks those by their raw values)
        t.RemoveColumn(t.IndexOf("pair"));
        var path = Path.Combine(_dir, "ours-big-for-astropy.fits");
        TableFiles.Write(t, path);
        AssertAstropyAgrees(t, path);
    }

    /// <summary>STILTS's reading of a FITS file, as a VOTable our (separately conformance-tested) VOTable reader reads.</summary>
    private Table ViaStilts(string fits)
    {
        var vot = fits + ".stilts.vot";
        var rc = Run("stilts", ["-verbose", "tcopy", "in=" + fits, "out=" + vot, "ofmt=votable-tabledata"], out _, out var err);
        Assert.That(rc, Is.EqualTo(0), err);
        return VOTableReader.ReadFile(vot);
    }

    [Test]
    public void StiltsReadsWhatWeWriteWithTheFitsPlusMetadata()
    {
        RequireStilts();
        var t = FitsCodecTests.AllKinds();
        var path = Path.Combine(_dir, "ours-for-stilts.fits");
        using (var fs = File.Create(path)) FitsWriter.Write(t, fs);
        var s = ViaStilts(path);
        Assert.That(s.Columns.Select(c => c.Name), Is.EqualTo(t.Columns.Select(c => c.Name)));
        Assert.That(s.Description?.Trim(), Is.EqualTo(t.Description));
        Assert.That(s.Params.Single(p => p.Name == "epoch").Value, Is.EqualTo("2016.0"));
        for (var c = 0; c < t.ColumnCount; c++)
        {
            Assert.That(s.Columns[c].Field.Ucd, Is.EqualTo(t.Columns[c].Field.Ucd), t.Columns[c].Name);
            Assert.That(s.Columns[c].Field.Unit, Is.EqualTo(t.Columns[c].Field.Unit), t.Columns[c].Name);
            Assert.That(s.Columns[c].Field.Description, Is.EqualTo(t.Columns[c].Field.Description), t.Columns[c].Name);
            if (t.Columns[c].Name == "codes") continue; // STILTS turns a 2-d char array into strings
            for (var r = 0; r < t.RowCount; r++)
            {
                // FITS strings are ASCII; beyond it we write UTF-8 (astropy reads that), STILTS reads bytes as Latin-1
                if (Canon(t.Columns[c], r).Any(ch => ch > 127)) continue;
                Assert.That(Canon(s.Columns[c], r), Is.EqualTo(Canon(t.Columns[c], r)), $"{t.Columns[c].Name} row {r}");
            }
        }
    }

    [Test]
    public void WeReadWhatStiltsWrites()
    {
        RequireStilts();
        RequireAstropy();
        var dir = Path.Combine(_dir, "astropy-for-stilts");
        RunOk(Python, Script, "make", dir);
        // STILTS rewrites astropy's file as FITS-plus; our reading must equal STILTS's own reading, cell by cell
        var src = Path.Combine(dir, "all.fits");
        var plus = Path.Combine(dir, "stilts-plus.fits");
        RunOk("stilts", "tcopy", "in=" + src, "out=" + plus, "ofmt=fits-plus");
        var ours = TableFiles.Read(plus);
        var theirs = ViaStilts(plus);
        Assert.That(ours.Columns.Select(c => c.Name), Is.EqualTo(theirs.Columns.Select(c => c.Name)));
        for (var c = 0; c < ours.ColumnCount; c++)
        {
            Assert.That(ours.Columns[c].Field.Unit, Is.EqualTo(theirs.Columns[c].Field.Unit), ours.Columns[c].Name);
            for (var r = 0; r < ours.RowCount; r++)
                Assert.That(Canon(ours.Columns[c], r), Is.EqualTo(Canon(theirs.Columns[c], r)), $"{ours.Columns[c].Name} row {r}");
        }
        // and a VOTable with UCDs and descriptions keeps them through STILTS's FITS-plus
        var vot = Path.Combine(dir, "meta.vot");
        var kinds = FitsCodecTests.AllKinds();
        // STILTS 4.1.3 cannot read bit and boolean arrays from BINARY2 (ClassCastException in its BooleanCodec)
        foreach (var name in new[] { "bit", "bits", "flags" }) kinds.RemoveColumn(kinds.IndexOf(name));
        VOTableWriter.WriteFile(kinds, vot);
        var plus2 = Path.Combine(dir, "meta-plus.fits");
        RunOk("stilts", "tcopy", "in=" + vot, "out=" + plus2, "ofmt=fits-plus");
        var back = TableFiles.Read(plus2);
        Assert.That(back.Columns.Single(c => c.Name == "id").Field.Ucd, Is.EqualTo("meta.id;meta.main"));
        Assert.That(back.Columns.Single(c => c.Name == "id").Field.Description, Is.EqualTo("source id"));
        Assert.That(Canon(back.Columns.Single(c => c.Name == "id"), 3), Is.EqualTo("null"));
        Assert.That(back.Columns.Single(c => c.Name == "uname").GetValue(0), Is.EqualTo("Ångström"));
    }
}

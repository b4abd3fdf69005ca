using System.Text.Json;
using NUnit.Framework;
using VoScript.Engine.Model.Ucds;
using VoScript.Engine.Science.Interop;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Science.Photometry;
using VoScript.Engine.Science.Sky;
using VoScript.Engine.Model;

namespace VoScript.Tests.Shared;

/// <summary>
/// The quirk corpus of issue #18 (tests/dachs-rig/gen_quirks.py: quirks the rig's cat_a/b/c do not plant) checked against
/// the hand-written astropy reference (tests/VoScript.Engine.Tests/data/quirks/reference.json): the same positions,
/// photometric columns, bands, magnitude systems and flux densities, and the same number of groups. Used on the
/// files (engine tests) and on the tables as DaCHS serves them (integration tests).
/// </summary>
internal static class QuirkCorpus
{
    public static readonly string[] Tables = ["ssa", "wsa", "ps1", "galex", "simbad", "hours"];

    public static string Directory(string testAssemblyDir)
    {
        var d = new DirectoryInfo(testAssemblyDir);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "VoScript.sln"))) d = d.Parent;
        return Path.Combine(d?.FullName ?? throw new InvalidOperationException("repository root not found"), "tests", "VoScript.Engine.Tests", "data", "quirks");
    }

    public static JsonElement Reference(string dir) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "reference.json"))).RootElement;

    /// <summary>Repairs <paramref name="table"/> as on arrival and compares it with the reference for <paramref name="name"/>.</summary>
    public static void Check(string name, Table table, JsonElement reference)
    {
        var r = reference.GetProperty("tables").GetProperty(name);
        Repairs.Apply(table);
        // one warning line per table and kind
        Assert.That(table.Warnings.All.Select(w => w.Code), Is.Unique, name);
        Assert.That(table.Warnings.All.Select(w => w.Count), Is.All.EqualTo(1), name);
        Assert.That(table.Warnings.All.Where(w => w.Code is "ucd-unknown" or "unit-unknown").Select(w => w.Message), Is.Empty,
            $"{name}: every UCD and unit is understood");
        Assert.That(table.RowCount, Is.EqualTo(r.GetProperty("rows").GetInt32()), name);

        var pos = Positions.Read(table);
        var ra = r.GetProperty("ra").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var dec = r.GetProperty("dec").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.That(pos.Columns.Match, Is.Not.EqualTo(PositionMatch.Name), $"{name}: positions by UCD");
        for (var i = 0; i < ra.Length; i++)
        {
            Assert.That(pos.Ra[i], Is.EqualTo(ra[i]).Within(1e-8), $"{name} RA row {i}");
            Assert.That(pos.Dec[i], Is.EqualTo(dec[i]).Within(1e-8), $"{name} Dec row {i}");
        }

        var phot = PhotometryColumns.Find(table).ToDictionary(p => p.Value.Name);
        var cols = r.GetProperty("columns");
        Assert.That(phot.Keys, Is.EquivalentTo(cols.EnumerateObject().Select(c => c.Name)), $"{name}: photometric columns");
        var sed = SedBuilder.Build(table);
        var srcCol = sed.FindColumn(SedBuilder.SourceColumn)!;
        var idCol = sed.FindColumn(SedBuilder.ObjectId)!;
        var fluxCol = sed.FindColumn(SedBuilder.Flux)!;
        var sysCol = sed.FindColumn(SedBuilder.MagSystemName)!;
        foreach (var c in cols.EnumerateObject())
        {
            var p = phot[c.Name];
            Assert.That(p.Band.Name, Is.EqualTo(c.Value.GetProperty("band").GetString()), $"{name}.{c.Name}: band");
            Assert.That(p.System.ToString(), Is.EqualTo(c.Value.GetProperty("system").GetString()), $"{name}.{c.Name}: magnitude system");
            var expected = c.Value.GetProperty("flux").EnumerateObject().ToDictionary(x => x.Name, x => x.Value.GetDouble());
            var got = new Dictionary<string, double>();
            for (var i = 0; i < sed.RowCount; i++)
            {
                if ((string?)srcCol.GetValue(i) != c.Name) continue;
                got[Convert.ToString(idCol.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!] = fluxCol.GetDouble(i);
                Assert.That(sysCol.GetValue(i), Is.EqualTo(c.Value.GetProperty("system").GetString()));
            }
            Assert.That(got.Keys, Is.EquivalentTo(expected.Keys), $"{name}.{c.Name}: the rows with a value (sentinels and NaN-like text removed)");
            foreach (var (id, f) in expected)
                Assert.That(got[id], Is.EqualTo(f).Within(1e-5).Percent, $"{name}.{c.Name} object {id}: flux density in Jy");
        }
    }

    /// <summary>Clusters the repaired tables (1 arcsec) and compares the number of groups with the reference.</summary>
    public static void CheckGroups(IReadOnlyList<Table> tables, JsonElement reference)
    {
        var merged = Clustering.Run(tables, 1.0 / 3600, "all", CancellationToken.None);
        var g = merged.FindColumn("group_id")!;
        var groups = Enumerable.Range(0, g.Count).Where(i => !g.IsNull(i)).Select(g.GetDouble).Distinct().Count();
        Assert.That(groups, Is.EqualTo(reference.GetProperty("groups").GetInt32()));
    }
}

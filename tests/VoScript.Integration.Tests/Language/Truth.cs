using System.Text.Json;
using NUnit.Framework;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.VOTable;

namespace VoScript.Integration.Tests.Language;

/// <summary>
/// What the sample field holds, from scripts/data/field/truth (a copy of the DaCHS rig's
/// truth/: manifest.json, objects.csv, spectra.csv), for assertions on both servers.
/// </summary>
public static class Truth
{
    private static string Dir => Path.Combine(TapServers.RepoRoot, "scripts", "data", "field", "truth");

    private static readonly Lazy<JsonElement> Manifest = new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "manifest.json"))).RootElement);

    /// <summary>True objects that are in cat_a, cat_b and cat_c (234).</summary>
    public static int ObjectsInAllThree => Manifest.Value.GetProperty("true_objects_in").GetProperty("all_three").GetInt32();

    /// <summary>Rows of each served table, e.g. <c>cat_b.main</c> → 259.</summary>
    public static int Rows(string table) => Manifest.Value.GetProperty("rows").GetProperty(table).GetInt32();

    /// <summary>Spectra whose object is in all three catalogues (from objects.csv and spectra.csv).</summary>
    public static int SpectraOfObjectsInAllThree
    {
        get
        {
            var objects = Csv("objects.csv");
            var inAll = objects.Where(o => o["cat_a_source_id"] != "" && o["cat_b_2mass"] != "" && o["cat_c_objid"] != "").Select(o => o["tid"]).ToHashSet();
            return Csv("spectra.csv").Count(s => inAll.Contains(s["tid"]));
        }
    }

    private static List<Dictionary<string, string>> Csv(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(Dir, name));
        var header = lines[0].Split(',');
        return lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Each access_url of <paramref name="spectra"/> is served by the same host as <paramref name="tap"/>,
    /// with the Content-Type of its access_format, and is a real spectrum: FITS with a primary
    /// header, or a VOTable of 200 bins.
    /// </summary>
    public static async Task AssertSpectraDownload(Table spectra, Uri tap)
    {
        var url = spectra.FindColumn("access_url")!;
        var format = spectra.FindColumn("access_format")!;
        Assert.That(spectra.RowCount, Is.GreaterThan(0));
        for (var i = 0; i < spectra.RowCount; i++)
        {
            var u = new Uri(url.FormatCell(i));
            Assert.That(u.GetLeftPart(UriPartial.Authority), Is.EqualTo(tap.GetLeftPart(UriPartial.Authority)), "served by the TAP service's own process");
            using var r = await Http.GetAsync(u);
            Assert.That((int)r.StatusCode, Is.EqualTo(200), u.ToString());
            Assert.That(r.Content.Headers.ContentType?.MediaType, Is.EqualTo(format.FormatCell(i)), u.ToString());
            var bytes = await r.Content.ReadAsByteArrayAsync();
            if (format.FormatCell(i) == "application/fits")
                Assert.That(System.Text.Encoding.ASCII.GetString(bytes, 0, 30), Does.StartWith("SIMPLE  =                    T"), u.ToString());
            else
                Assert.That(VOTableReader.Read(new MemoryStream(bytes)).RowCount, Is.EqualTo(200), u.ToString());
        }
    }
}

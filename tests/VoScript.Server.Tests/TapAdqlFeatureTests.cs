using System.Net;
using VoScript.Engine.Model;
using VoScript.Server.Tap;

namespace VoScript.Server.Tests;

/// <summary>Every ADQL feature the capabilities declare answers a query through the service, with the rows it should give.</summary>
public class TapAdqlFeatureTests
{
    private TapTestServer _s = null!;

    [OneTimeSetUp]
    public async Task Start() => _s = await TapTestServer.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _s.DisposeAsync();

    /// <summary>A query per declared form, and the ids (or values) it must give on the five test stars.</summary>
    private static readonly Dictionary<string, (string Query, string Expected)> Cases = new()
    {
        ["POINT"] = ("SELECT id FROM data.stars WHERE 1=CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 10.1, -5.1, 0.15)) ORDER BY id", "1 2 3"),
        ["CIRCLE"] = ("SELECT id FROM data.stars WHERE 1=CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 10.0, -5.0, 0.05)) ORDER BY id", "1"),
        ["BOX"] = ("SELECT id FROM data.stars WHERE 1=CONTAINS(POINT('ICRS', ra, dec), BOX('ICRS', 10.15, -5.15, 0.2, 0.2)) ORDER BY id", "2 3"),
        ["POLYGON"] = ("SELECT id FROM data.stars WHERE 1=CONTAINS(POINT('ICRS', ra, dec), POLYGON('ICRS', 9.9, -5.05, 10.25, -5.05, 10.25, -5.3, 9.9, -5.3)) ORDER BY id", "2 3"),
        ["CONTAINS"] = ("SELECT id FROM data.stars WHERE 0=CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 10.1, -5.1, 1)) ORDER BY id", "4 5"),
        ["INTERSECTS"] = ("SELECT id FROM data.stars WHERE 1=INTERSECTS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 200, 40, 0.5)) ORDER BY id", "4"),
        ["DISTANCE"] = ("SELECT id FROM data.stars WHERE DISTANCE(POINT('ICRS', ra, dec), POINT('ICRS', 359.9, 89)) < 0.001 ORDER BY id", "5"),
        ["COORD1"] = ("SELECT COORD1(POINT('ICRS', ra, dec)) AS c FROM data.stars WHERE id = 4", "200"),
        ["COORD2"] = ("SELECT COORD2(POINT('ICRS', ra, dec)) AS c FROM data.stars WHERE id = 4", "40"),
        ["LOWER"] = ("SELECT LOWER(name) AS n FROM data.stars WHERE id = 2", "beta"),
        ["ILIKE"] = ("SELECT id FROM data.stars WHERE name ILIKE 'g%' ORDER BY id", "3"),
        ["UNION"] = ("SELECT id FROM data.stars WHERE id = 1 UNION SELECT id FROM data.stars WHERE id = 5 ORDER BY id", "1 5"),
        ["EXCEPT"] = ("SELECT id FROM data.stars EXCEPT SELECT id FROM data.stars WHERE id > 1 ORDER BY id", "1"),
        ["INTERSECT"] = ("SELECT id FROM data.stars WHERE id < 3 INTERSECT SELECT id FROM data.stars WHERE id > 1 ORDER BY id", "2"),
        ["OFFSET"] = ("SELECT id FROM data.stars ORDER BY id OFFSET 3", "4 5"),
        ["CAST"] = ("SELECT CAST(id AS DOUBLE) / 2 AS half FROM data.stars WHERE id = 3", "1.5"),
    };

    public static IEnumerable<TestCaseData> DeclaredForms() =>
        AdqlFeatures.Declared.SelectMany(d => d.Forms.Select(f => new TestCaseData(d.Type, f).SetName($"DeclaredFeatureAnswers({f})")));

    [TestCaseSource(nameof(DeclaredForms))]
    public async Task DeclaredFeatureAnswers(string type, string form)
    {
        Assert.That(Cases.TryGetValue(form, out var c), Is.True, $"no test query for the declared form {form} ({type})");
        using var r = await _s.PostAsync("/sync", ("LANG", "ADQL"), ("QUERY", c.Query));
        var t = TapTestServer.ReadVOTable(await r.Content.ReadAsByteArrayAsync());
        Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), t.QueryStatus?.Content);
        var values = string.Join(" ", Enumerable.Range(0, t.RowCount).Select(i => t.Columns[0].FormatCell(i)));
        Assert.That(values, Is.EqualTo(c.Expected));
    }

    [Test]
    public async Task CapabilitiesListTheDeclaredFeatures()
    {
        var caps = await _s.Http.GetStringAsync(_s.Tap + "/capabilities");
        Assert.That(caps, Does.Contain("<languageFeatures type=\"ivo://ivoa.net/std/TAPRegExt#features-adqlgeo\">"));
        Assert.That(caps, Does.Contain("<form>INTERSECTS</form>"));
    }
}

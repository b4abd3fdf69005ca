using NUnit.Framework;
using VoScript.Engine.Protocols.Tap;
using VoScript.Engine.Model;
using VoScript.Integration.Tests.Protocols;

namespace VoScript.Integration.Tests.Language;

/// <summary>
/// scripts/data/field, served by <c>voscript serve</c>, holds what the DaCHS rig serves: the same
/// rows, cells and column metadata (units, UCDs, descriptions), quirks included. When the rig's
/// data change (tests/dachs-rig/gen_data.py or q.rd), this fails until
/// scripts/data/field/make_field.py is run again.
/// </summary>
[Category("Integration")]
[NonParallelizable]
public class SampleFieldTests
{
    [TestCase("cat_a.main", "source_id")]
    [TestCase("cat_b.main", "RAJ2000")]
    [TestCase("cat_c.main", "objid")]
    [TestCase("ivoa.obscore", "obs_id")]
    public async Task ServedTableEqualsTheRigsCellByCell(string table, string key)
    {
        var dachsUrl = TapServers.Url(TapServers.Dachs);
        var serveUrl = TapServers.Url(TapServers.Serve);
        using var http = DachsRig.Client();
        var query = new TapQuery($"SELECT * FROM {table} ORDER BY {key}");
        var dachs = (await new TapService(dachsUrl, http).QueryAsync(query)).Table;
        var serve = (await new TapService(serveUrl, http).QueryAsync(query)).Table;

        Assert.That(serve.RowCount, Is.EqualTo(dachs.RowCount));
        Assert.That(serve.RowCount, Is.EqualTo(Truth.Rows(table)));
        Assert.That(serve.Columns.Select(c => c.Name), Is.EqualTo(dachs.Columns.Select(c => c.Name)));
        foreach (var (s, d) in serve.Columns.Zip(dachs.Columns))
        {
            Assert.That((s.Field.DataType, s.Field.Unit, s.Field.Ucd, s.Field.Utype, s.Field.XType), Is.EqualTo((d.Field.DataType, d.Field.Unit, d.Field.Ucd, d.Field.Utype, d.Field.XType)), s.Name);
            Assert.That(s.Field.Description, Is.EqualTo(Normalize(d.Field.Description)), s.Name);
            if (s.Name == "access_url") continue;   // relative in the file, served under /files/; DaCHS's /getproduct/
            for (var i = 0; i < serve.RowCount; i++)
            {
                var where = $"{table} row {i} ({key} {serve.FindColumn(key)!.FormatCell(i)}) column {s.Name}";
                if (s.Name == "s_region")
                    AssertSamePolygon(Cell(s, i), Cell(d, i), where);
                else
                    Assert.That(Cell(s, i), Is.EqualTo(Cell(d, i)), where);
            }
        }
    }

    [Test]
    public async Task ServedAccessUrlsNameTheRigsFiles()
    {
        using var http = DachsRig.Client();
        var query = new TapQuery("SELECT obs_id, access_url FROM ivoa.obscore ORDER BY obs_id");
        var dachs = (await new TapService(TapServers.Url(TapServers.Dachs), http).QueryAsync(query)).Table;
        var serve = (await new TapService(TapServers.Url(TapServers.Serve), http).QueryAsync(query)).Table;
        var origin = ServeRig.Origin.ToString();
        for (var i = 0; i < serve.RowCount; i++)
        {
            var file = dachs.Columns[1].FormatCell(i).Split('/').Last();
            Assert.That(serve.Columns[1].FormatCell(i), Is.EqualTo(origin + "files/spectra/" + file));
        }
    }

    /// <summary>
    /// STC-S polygons: the same frame and vertices within 1e-9 deg (make_field.py computes the
    /// 12-gon itself; pgsphere's last digit can differ).
    /// </summary>
    private static void AssertSamePolygon(string served, string rig, string where)
    {
        var a = served.Split(' ');
        var b = rig.Split(' ');
        Assert.That(a.Take(2), Is.EqualTo(b.Take(2)), where);
        Assert.That(a.Length, Is.EqualTo(b.Length), where);
        for (var k = 2; k < a.Length; k++)
            Assert.That(double.Parse(a[k], System.Globalization.CultureInfo.InvariantCulture),
                Is.EqualTo(double.Parse(b[k], System.Globalization.CultureInfo.InvariantCulture)).Within(1e-9), where);
    }

    /// <summary>A cell as text, with nulls (and the NaN DaCHS writes for a null float) alike.</summary>
    private static string Cell(Column c, int row)
    {
        if (c.IsNull(row)) return "(null)";
        var t = c.FormatCell(row);
        return t is "NaN" ? "(null)" : t;
    }

    /// <summary>DaCHS re-flows long descriptions over lines; compare them with runs of white space as one space.</summary>
    private static string? Normalize(string? s) => s is null ? null : string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

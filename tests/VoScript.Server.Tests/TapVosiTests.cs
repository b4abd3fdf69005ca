using System.Net;
using System.Xml.Linq;
using VoScript.Engine.Model;
using VoScript.Server.Tap;

namespace VoScript.Server.Tests;

public class TapVosiTests
{
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";
    private TapTestServer _s = null!;

    [OneTimeSetUp]
    public async Task Start() => _s = await TapTestServer.StartAsync(new TapServiceOptions { DefaultMaxRec = 500, HardMaxRec = 7000, UploadLimitBytes = 1_000_000 });

    [OneTimeTearDown]
    public async Task Stop() => await _s.DisposeAsync();

    [Test]
    public async Task CapabilitiesDeclareTapVosiFormatsAndLimits()
    {
        var doc = await _s.GetXmlAsync("/capabilities");
        var caps = doc.Root!.Elements("capability").ToList();
        Assert.That(caps.Select(c => c.Attribute("standardID")!.Value), Is.EqualTo(new[]
        {
            "ivo://ivoa.net/std/TAP", "ivo://ivoa.net/std/VOSI#capabilities", "ivo://ivoa.net/std/VOSI#availability", "ivo://ivoa.net/std/VOSI#tables-1.1",
            "ivo://ivoa.net/std/DALI#examples",
        }));
        var tap = caps[0];
        Assert.That(tap.Attribute(Xsi + "type")!.Value, Is.EqualTo("tr:TableAccess"));
        var iface = tap.Element("interface")!;
        Assert.That((iface.Attribute("version")!.Value, iface.Element("accessURL")!.Value), Is.EqualTo(("1.1", _s.Tap)));
        Assert.That(tap.Element("language")!.Element("name")!.Value, Is.EqualTo("ADQL"));
        Assert.That(tap.Elements("outputFormat").Select(f => f.Element("mime")!.Value), Is.EqualTo(new[]
        {
            "application/x-votable+xml;serialization=BINARY2", "application/x-votable+xml;serialization=BINARY",
            "application/x-votable+xml;serialization=TABLEDATA", "text/csv;header=present",
        }));
        Assert.That(tap.Element("outputLimit")!.Element("default")!.Value, Is.EqualTo("500"));
        Assert.That(tap.Element("outputLimit")!.Element("hard")!.Value, Is.EqualTo("7000"));
        Assert.That(tap.Element("uploadLimit")!.Element("hard")!.Value, Is.EqualTo("1000000"));
        Assert.That(tap.Element("uploadLimit")!.Element("hard")!.Attribute("unit")!.Value, Is.EqualTo("byte"));
        Assert.That(caps[3].Element("interface")!.Element("accessURL")!.Value, Is.EqualTo(_s.Tap + "/tables"));
    }

    [Test]
    public async Task AvailabilitySaysAvailable()
    {
        var doc = await _s.GetXmlAsync("/availability");
        XNamespace v = "http://www.ivoa.net/xml/VOSIAvailability/v1.0";
        Assert.That(doc.Root!.Element(v + "available")!.Value, Is.EqualTo("true"));
    }

    [Test]
    public async Task TablesListTheServedTableWithUnitsUcdsAndDescriptions()
    {
        var doc = await _s.GetXmlAsync("/tables");
        var schemas = doc.Root!.Elements("schema").Select(s => s.Element("name")!.Value).ToList();
        Assert.That(schemas, Is.EqualTo(new[] { "data", "TAP_SCHEMA" }));
        var stars = doc.Root!.Elements("schema").SelectMany(s => s.Elements("table")).Single(t => t.Element("name")!.Value == "data.stars");
        Assert.That(stars.Element("description")!.Value, Is.EqualTo("Five test stars"));
        var ra = stars.Elements("column").Single(c => c.Element("name")!.Value == "ra");
        Assert.That((ra.Element("unit")!.Value, ra.Element("ucd")!.Value, ra.Element("description")!.Value, ra.Element("dataType")!.Value),
            Is.EqualTo(("deg", "pos.eq.ra;meta.main", "Right ascension", "double")));
        var name = stars.Elements("column").Single(c => c.Element("name")!.Value == "name");
        Assert.That(name.Element("dataType")!.Attribute("arraysize")!.Value, Is.EqualTo("*"));
        var tapTables = doc.Root!.Elements("schema").Single(s => s.Element("name")!.Value == "TAP_SCHEMA").Elements("table").Select(t => t.Element("name")!.Value);
        Assert.That(tapTables, Is.EqualTo(new[] { "TAP_SCHEMA.schemas", "TAP_SCHEMA.tables", "TAP_SCHEMA.columns", "TAP_SCHEMA.keys", "TAP_SCHEMA.key_columns" }));
    }

    [Test]
    public async Task DetailMinLeavesOutColumnsAndOneTableCanBeAskedFor()
    {
        var min = await _s.GetXmlAsync("/tables?detail=min");
        Assert.That(min.Descendants("column"), Is.Empty);
        var one = await _s.GetXmlAsync("/tables/data.stars");
        Assert.That((one.Root!.Name.LocalName, one.Root!.Element("name")!.Value, one.Root!.Elements("column").Count()), Is.EqualTo(("table", "data.stars", 5)));
        using var none = await _s.GetAsync("/tables/data.nothing");
        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task TapSchemaTablesAreQueryable()
    {
        using var r = await _s.PostAsync("/sync", ("LANG", "ADQL"), ("QUERY", "SELECT * FROM TAP_SCHEMA.columns"), ("MAXREC", "1000"));
        var t = TapTestServer.ReadVOTable(await r.Content.ReadAsByteArrayAsync());
        Assert.That(t.Columns.Select(c => c.Name), Is.EqualTo(new[]
        {
            "table_name", "column_name", "datatype", "arraysize", "xtype", "size", "description", "utype", "unit", "ucd", "indexed", "principal", "std", "column_index",
        }));
        var tableName = (StringColumn)t.FindColumn("table_name")!;
        var columnName = (StringColumn)t.FindColumn("column_name")!;
        var rows = Enumerable.Range(0, t.RowCount).Where(i => tableName[i] == "data.stars").ToList();
        Assert.That(rows.Select(i => columnName[i]), Is.EqualTo(new[] { "id", "ra", "dec", "mag", "name" }));
        var dec = rows[2];
        Assert.That(((StringColumn)t.FindColumn("unit")!)[dec], Is.EqualTo("deg"));
        Assert.That(((StringColumn)t.FindColumn("ucd")!)[dec], Is.EqualTo("pos.eq.dec;meta.main"));
        Assert.That(((ScalarColumn<int>)t.FindColumn("column_index")!)[dec], Is.EqualTo(2));
        Assert.That(((ScalarColumn<int>)t.FindColumn("std")!)[dec], Is.EqualTo(0));
        var sizeRow = Enumerable.Range(0, t.RowCount).Single(i => tableName[i] == "TAP_SCHEMA.columns" && columnName[i] == "\"size\"");
        Assert.That(((ScalarColumn<int>)t.FindColumn("std")!)[sizeRow], Is.EqualTo(1));
    }

    [Test]
    public void TapSchemaDescribesFixedArraysWithSizeAndDelimitsOddNames()
    {
        var f = new Field("flux bands", DataType.Float, ArraySize.Fixed(5));
        var tables = TapSchema.Build([new ServedSchema("data", null)], [new StoredTable("data", "t", [f], 1, null)]);
        var cols = tables.Single(t => t.Name == "columns").Table;
        Assert.That(((StringColumn)cols.FindColumn("column_name")!)[0], Is.EqualTo("\"flux bands\""));
        Assert.That(((StringColumn)cols.FindColumn("arraysize")!)[0], Is.EqualTo("5"));
        Assert.That(((ScalarColumn<int>)cols.FindColumn("size")!)[0], Is.EqualTo(5));
        Assert.That(((StringColumn)cols.FindColumn("datatype")!)[0], Is.EqualTo("float"));
    }
}

public class TapResultFormatTests
{
    [Test]
    public void CharArraysizeOneIsNotWrittenAsArraysizeOne()
    {
        var t = new Table("t");
        t.AddColumn(new StringColumn(new Field("flag", DataType.Char, ArraySize.Fixed(1)), ["a", "b"]));
        var ms = new MemoryStream();
        ResultFormat.TableData.Write(new QueryResult(t, false), ms);
        var text = System.Text.Encoding.UTF8.GetString(ms.ToArray());
        Assert.That(text, Does.Contain("<FIELD name=\"flag\" datatype=\"char\"").And.Not.Contain("arraysize=\"1\""));
        Assert.That(t.Columns[0].Field.ArraySize, Is.EqualTo(ArraySize.Fixed(1)), "the store's table is not changed");
    }

    [Test]
    public async Task ExamplesAreXhtmlWithRdfaQueriesForEachTable()
    {
        await using var s = await TapTestServer.StartAsync();
        using var r = await s.GetAsync("/examples");
        Assert.That(r.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/xhtml+xml"));
        var doc = XDocument.Parse(await r.Content.ReadAsStringAsync());
        XNamespace h = "http://www.w3.org/1999/xhtml";
        Assert.That(doc.Root!.Element(h + "body")!.Attribute("vocab")!.Value, Is.EqualTo("http://www.ivoa.net/rdf/examples#"));
        var queries = doc.Descendants(h + "pre").Where(p => p.Attribute("property")?.Value == "query").Select(p => p.Value).ToList();
        Assert.That(queries, Does.Contain("SELECT TOP 10 * FROM data.stars"));
        Assert.That(doc.Descendants(h + "div").All(d => d.Attribute("typeof")?.Value == "example" && d.Attribute("resource")?.Value == "#" + d.Attribute("id")?.Value), Is.True);
    }
}

public class TapSchemaKeysTests
{
    [Test]
    public async Task TapSchemaDeclaresItsForeignKeysInTheTablesAndInVosi()
    {
        await using var s = await TapTestServer.StartAsync();
        using var r = await s.PostAsync("/sync", ("LANG", "ADQL"), ("QUERY",
            "SELECT k.from_table, k.target_table, c.from_column, c.target_column FROM TAP_SCHEMA.keys AS k JOIN TAP_SCHEMA.key_columns AS c ON k.key_id = c.key_id ORDER BY k.key_id"));
        var t = TapTestServer.ReadVOTable(await r.Content.ReadAsByteArrayAsync());
        Assert.That(t.RowCount, Is.EqualTo(5), t.QueryStatus?.Content);
        var rows = Enumerable.Range(0, t.RowCount).Select(i => string.Join(" ", t.Columns.Select(c => c.FormatCell(i)))).ToList();
        Assert.That(rows, Does.Contain("TAP_SCHEMA.columns TAP_SCHEMA.tables table_name table_name"));
        var vosi = await s.GetXmlAsync("/tables/TAP_SCHEMA.keys");
        Assert.That(vosi.Root!.Elements("foreignKey").Select(k => k.Element("targetTable")!.Value), Is.EqualTo(new[] { "TAP_SCHEMA.tables", "TAP_SCHEMA.tables" }));
    }
}

using VoScript.Engine.Model;
using VoScript.Server.Storage;
using static VoScript.Server.Tests.StoreTestSupport;

namespace VoScript.Server.Tests;

/// <summary>The ADQL language, translated and run against the database, checked on known data.</summary>
public class AdqlLanguageTests
{
    private static DuckDbTableStore _store = null!;

    /// <summary>A second table: observations of the stars (star_id → stars.id).</summary>
    private static Table Observations()
    {
        var t = new Table("obs");
        t.AddColumn(new ScalarColumn<int>(new Field("obs_id", DataType.Int), [100, 101, 102, 103, 104, 105]));
        t.AddColumn(new ScalarColumn<long>(new Field("star_id", DataType.Long), [1, 1, 2, 3, 3, 3]));
        t.AddColumn(new StringColumn(new Field("band", DataType.Char, ArraySize.Variable), ["V", "R", "V", "V", "R", "I"]));
        t.AddColumn(new ScalarColumn<double>(new Field("flux", DataType.Double) { Unit = "Jy" }, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]));
        return t;
    }

    /// <summary>A table whose column names differ only in case, and a name that needs delimiting.</summary>
    private static Table Awkward()
    {
        var t = new Table("Awkward");
        t.AddColumn(new ScalarColumn<int>(new Field("Value", DataType.Int), [1, 2]));
        t.AddColumn(new ScalarColumn<int>(new Field("value", DataType.Int), [10, 20]));
        t.AddColumn(new ScalarColumn<int>(new Field("2MASS", DataType.Int), [7, 8]));
        t.AddColumn(new ScalarColumn<int>(new Field("select", DataType.Int), [3, 4]));
        return t;
    }

    [OneTimeSetUp]
    public async Task Load()
    {
        _store = await StoreWithStars();
        await _store.LoadAsync("public", "obs", Observations());
        await _store.LoadAsync("other", "Awkward", Awkward());
    }

    [OneTimeTearDown]
    public async Task Dispose() => await _store.DisposeAsync();

    private static async Task<Table> Run(string adql, long maxRec = 1000) => (await _store.ExecuteAsync(adql, NoUploads, maxRec)).Table;

    private static async Task<object?[]> Col(string adql, int column = 0)
    {
        var t = await Run(adql);
        return Enumerable.Range(0, t.RowCount).Select(r => t.Columns[column].GetValue(r)).ToArray();
    }

    [Test]
    public async Task RegularIdentifiersIgnoreCaseForTablesSchemasAndColumns()
    {
        Assert.That(await Col("SELECT ID FROM PUBLIC.STARS WHERE Name = 'beta'"), Is.EqualTo(new object[] { 2L }));
    }

    [Test]
    public async Task DelimitedIdentifiersMatchExactly()
    {
        Assert.That(await Col("SELECT \"Value\", \"value\", \"2MASS\", \"select\" FROM other.\"Awkward\" ORDER BY 1"), Is.EqualTo(new object[] { 1, 2 }));
        Assert.That(await Col("SELECT \"value\" FROM other.\"Awkward\" ORDER BY 1"), Is.EqualTo(new object[] { 10, 20 }));
        var e = await Assert.ThrowsAsync<AdqlException>(() => Run("SELECT \"VALUE\" FROM other.Awkward"));
        Assert.That(e!.Message, Does.Contain("unknown column \"VALUE\""));
    }

    [Test]
    public async Task RegularIdentifierMatchingTwoCasesPrefersTheExactOne()
    {
        Assert.That(await Col("SELECT value FROM Awkward ORDER BY 1"), Is.EqualTo(new object[] { 10, 20 }));
    }

    [Test]
    public async Task OutputNamesAreAliasesThenColumnNamesThenFunctionNames()
    {
        var t = await Run("SELECT id AS ident, ra, COUNT(*), 1 + 1, s.Mag FROM stars AS s GROUP BY id, ra, s.Mag");
        Assert.That(t.Columns.Select(c => c.Name), Is.EqualTo(new[] { "ident", "ra", "count", "expr", "Mag" }));
        Assert.That(t.FindColumn("ident")!.Field.Ucd, Is.EqualTo("meta.id;meta.main"));
        Assert.That(t.FindColumn("Mag")!.Field.Unit, Is.EqualTo("mag"));
    }

    [Test]
    public async Task DuplicateOutputNamesAreMadeUnique()
    {
        var t = await Run("SELECT s.id, o.star_id AS id FROM stars s JOIN obs o ON o.star_id = s.id");
        Assert.That(t.Columns.Select(c => c.Name), Is.EqualTo(new[] { "id", "id_2" }));
    }

    [Test]
    public async Task InnerJoinWithAliasesAndGroupByHaving()
    {
        var t = await Run("SELECT s.name, COUNT(*) AS n, SUM(o.flux) AS total FROM stars AS s JOIN obs AS o ON o.star_id = s.id " +
                          "GROUP BY s.name HAVING COUNT(*) >= 2 ORDER BY n DESC");
        Assert.That(Enumerable.Range(0, t.RowCount).Select(r => (t.Columns[0].GetValue(r), t.Columns[1].GetValue(r), t.Columns[2].GetValue(r))),
            Is.EqualTo(new[] { ((object?)null, (object?)3L, (object?)15.0), ("alpha", 2L, 3.0) }));
    }

    [Test]
    public async Task LeftJoinKeepsRowsWithoutPartner()
    {
        Assert.That(await Col("SELECT s.id FROM stars s LEFT OUTER JOIN obs o ON o.star_id = s.id WHERE o.obs_id IS NULL ORDER BY s.id"),
            Is.EqualTo(new object[] { 4L, 5L }));
    }

    [Test]
    public async Task JoinUsingAndNaturalJoinShowTheCommonColumnOnce()
    {
        var t = await Run("SELECT * FROM (SELECT id AS star_id, name FROM stars) AS s JOIN obs USING (star_id) WHERE obs_id = 100");
        Assert.That(t.Columns.Select(c => c.Name), Is.EqualTo(new[] { "star_id", "name", "obs_id", "band", "flux" }));
        var n = await Run("SELECT * FROM (SELECT id AS star_id, name FROM stars) AS s NATURAL JOIN obs WHERE obs_id = 100");
        Assert.That(n.Columns.Select(c => c.Name), Is.EqualTo(new[] { "star_id", "name", "obs_id", "band", "flux" }));
        Assert.That(n.Columns[1].GetValue(0), Is.EqualTo("alpha"));
    }

    [Test]
    public async Task SubqueriesInWhereAndFrom()
    {
        Assert.That(await Col("SELECT id FROM stars WHERE id IN (SELECT star_id FROM obs WHERE band = 'R') ORDER BY id"), Is.EqualTo(new object[] { 1L, 3L }));
        Assert.That(await Col("SELECT id FROM stars s WHERE NOT EXISTS (SELECT 1 FROM obs o WHERE o.star_id = s.id) ORDER BY id"), Is.EqualTo(new object[] { 4L, 5L }));
        Assert.That(await Col("SELECT id FROM stars WHERE Mag = (SELECT MIN(Mag) FROM stars)"), Is.EqualTo(new object[] { 4L }));
        Assert.That(await Col("SELECT b.star_id FROM (SELECT star_id, COUNT(*) AS n FROM obs GROUP BY star_id) AS b WHERE b.n = 1"), Is.EqualTo(new object[] { 2L }));
    }

    [Test]
    public async Task OrderByAliasPositionAndExpression()
    {
        Assert.That(await Col("SELECT id, Mag AS m FROM stars WHERE Mag IS NOT NULL ORDER BY m"), Is.EqualTo(new object[] { 4L, 1L, 2L, 5L }));
        Assert.That(await Col("SELECT id, Mag FROM stars WHERE Mag IS NOT NULL ORDER BY 2 DESC"), Is.EqualTo(new object[] { 5L, 2L, 1L, 4L }));
        Assert.That(await Col("SELECT id FROM stars ORDER BY ABS(dec) DESC, id"), Is.EqualTo(new object[] { 3L, 2L, 1L, 4L, 5L }));
    }

    [Test]
    public async Task OrderByPrefersTheOutputNameOverTheInputColumn()
    {
        Assert.That(await Col("SELECT id, -id AS ra FROM stars ORDER BY ra"), Is.EqualTo(new object[] { 5L, 4L, 3L, 2L, 1L }));
    }

    [Test]
    public async Task WithQueriesAreTablesOfTheQuery()
    {
        Assert.That(await Col("WITH bright AS (SELECT id, Mag FROM stars WHERE Mag < 13), counted AS (SELECT star_id, COUNT(*) AS n FROM obs GROUP BY star_id) " +
                              "SELECT b.id, c.n FROM bright AS b JOIN counted c ON c.star_id = b.id ORDER BY b.id", 1), Is.EqualTo(new object[] { 2L }));
        Assert.That(await Col("WITH b AS (SELECT id FROM stars WHERE id > 3) SELECT * FROM b ORDER BY id"), Is.EqualTo(new object[] { 4L, 5L }));
    }

    [Test]
    public async Task HexadecimalLiteralsAreIntegers()
    {
        Assert.That(await Col("SELECT 0x1F + 0 FROM stars WHERE id = 0x01"), Is.EqualTo(new object[] { 31 }));
    }

    [Test]
    public async Task DistinctTopAndOffset()
    {
        Assert.That(await Col("SELECT DISTINCT band FROM obs ORDER BY band"), Is.EqualTo(new object[] { "I", "R", "V" }));
        Assert.That(await Col("SELECT TOP 2 obs_id FROM obs ORDER BY obs_id OFFSET 3"), Is.EqualTo(new object[] { 103, 104 }));
    }

    [Test]
    public async Task UnionAndExcept()
    {
        Assert.That(await Col("SELECT id FROM stars WHERE id < 3 UNION SELECT star_id FROM obs ORDER BY 1"), Is.EqualTo(new object[] { 1L, 2L, 3L }));
        Assert.That(await Col("SELECT id FROM stars EXCEPT SELECT star_id FROM obs ORDER BY 1"), Is.EqualTo(new object[] { 4L, 5L }));
    }

    [TestCase("ABS(-2.5)", 2.5)]
    [TestCase("CEILING(1.2)", 2.0)]
    [TestCase("FLOOR(-1.2)", -2.0)]
    [TestCase("DEGREES(PI())", 180.0)]
    [TestCase("RADIANS(180)", Math.PI)]
    [TestCase("EXP(1)", Math.E)]
    [TestCase("LOG(EXP(2))", 2.0)]
    [TestCase("LOG10(1000)", 3.0)]
    [TestCase("MOD(7, 3)", 1.0)]
    [TestCase("POWER(2, 10)", 1024.0)]
    [TestCase("SQRT(16)", 4.0)]
    [TestCase("ROUND(2.567, 2)", 2.57)]
    [TestCase("ROUND(2.5)", 3.0)]
    [TestCase("TRUNCATE(2.567, 1)", 2.5)]
    [TestCase("TRUNCATE(-2.7)", -2.0)]
    [TestCase("SIN(PI() / 2)", 1.0)]
    [TestCase("COS(0)", 1.0)]
    [TestCase("TAN(PI() / 4)", 1.0)]
    [TestCase("COT(PI() / 4)", 1.0)]
    [TestCase("ASIN(1)", Math.PI / 2)]
    [TestCase("ACOS(1)", 0.0)]
    [TestCase("ATAN(1)", Math.PI / 4)]
    [TestCase("ATAN2(1, 1)", Math.PI / 4)]
    [TestCase("3 * 4 - 10 / 4", 10.0)]
    [TestCase("-7 / 2", -3.0)]
    [TestCase("7 / 2.0", 3.5)]
    [TestCase("7.0 / 2", 3.5)]
    [TestCase("COALESCE(NULL, 4)", 4.0)]
    [TestCase("CAST('12' AS DOUBLE PRECISION)", 12.0)]
    [TestCase("CAST(2.7 AS INTEGER)", 3.0)]
    [TestCase("CASE WHEN 1 > 2 THEN 1 ELSE 2 END", 2.0)]
    [TestCase("CASE 3 WHEN 1 THEN 10 WHEN 3 THEN 30 END", 30.0)]
    public async Task MathFunctionsComputeTheirValues(string expr, double expected)
    {
        var v = (await Col($"SELECT {expr} AS v FROM stars WHERE id = 1")).Single();
        Assert.That(Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public async Task IntegerColumnsDivideAsIntegersAndFloatColumnsDoNot()
    {
        Assert.That(await Col("SELECT obs_id / 100, flux / 4 FROM obs WHERE obs_id = 105"), Is.EqualTo(new object[] { 1L }));
        Assert.That(await Col("SELECT obs_id / 100, flux / 4 FROM obs WHERE obs_id = 105", 1), Is.EqualTo(new object[] { 1.5 }));
        Assert.That(await Col("SELECT COUNT(*) / 4 FROM obs"), Is.EqualTo(new object[] { 1L }));
    }

    [Test]
    public async Task IntegerDivisionByZeroIsNullFloatingPointIsInfinite()
    {
        Assert.That(await Col("SELECT 1 / 0, 1.0 / 0, flux / 0 FROM obs WHERE obs_id = 100"), Is.EqualTo(new object?[] { null }));
        Assert.That(await Col("SELECT 1 / 0, 1.0 / 0, flux / 0 FROM obs WHERE obs_id = 100", 1), Is.EqualTo(new object?[] { double.PositiveInfinity }));
        Assert.That(await Col("SELECT 1 / 0, 1.0 / 0, flux / 0 FROM obs WHERE obs_id = 100", 2), Is.EqualTo(new object?[] { double.PositiveInfinity }));
    }

    [Test]
    public async Task RandGivesNumbersBetweenZeroAndOne()
    {
        var v = await Col("SELECT RAND() FROM stars");
        Assert.That(v.Cast<double>(), Is.All.InRange(0.0, 1.0));
    }

    [Test]
    public async Task StringFunctionsAndPatterns()
    {
        Assert.That(await Col("SELECT UPPER(name) || '-' || LOWER('AB') FROM stars WHERE id = 1"), Is.EqualTo(new object[] { "ALPHA-ab" }));
        Assert.That(await Col("SELECT id FROM stars WHERE name LIKE '%ta' ORDER BY id"), Is.EqualTo(new object[] { 2L, 4L }));
        Assert.That(await Col("SELECT id FROM stars WHERE name ILIKE 'e%'"), Is.EqualTo(new object[] { 5L }));
        Assert.That(await Col("SELECT id FROM stars WHERE name NOT LIKE 'e%' ORDER BY id"), Is.EqualTo(new object[] { 1L, 2L, 4L, 5L }));
        Assert.That(await Col("SELECT TRIM('  x ') FROM stars WHERE id = 1"), Is.EqualTo(new object[] { "x" }));
        Assert.That(await Col("SELECT id || '' FROM stars WHERE id = 1"), Is.EqualTo(new object[] { "1" }));
    }

    [Test]
    public async Task BetweenInAndNulls()
    {
        Assert.That(await Col("SELECT id FROM stars WHERE Mag BETWEEN 12 AND 13.5 ORDER BY id"), Is.EqualTo(new object[] { 1L, 2L }));
        Assert.That(await Col("SELECT id FROM stars WHERE id NOT IN (1, 2, 3) ORDER BY id"), Is.EqualTo(new object[] { 4L, 5L }));
        Assert.That(await Col("SELECT id FROM stars WHERE Mag IS NULL"), Is.EqualTo(new object[] { 3L }));
    }

    [Test]
    public async Task AggregatesOverTheWholeTable()
    {
        var t = await Run("SELECT COUNT(*), COUNT(Mag), COUNT(DISTINCT star_id), MIN(flux), MAX(flux), AVG(flux), SUM(obs_id) FROM stars, obs WHERE stars.id = obs.star_id");
        Assert.That(Enumerable.Range(0, 7).Select(i => t.Columns[i].GetValue(0)),
            Is.EqualTo(new object[] { 6L, 3L, 3L, 1.0, 6.0, 3.5, 615L }));
    }

    [Test]
    public async Task CorrelatedSubqueryInTheSelectList()
    {
        Assert.That(await Col("SELECT (SELECT COUNT(*) FROM obs o WHERE o.star_id = s.id) AS n FROM stars s ORDER BY s.id"),
            Is.EqualTo(new object[] { 2L, 1L, 3L, 0L, 0L }));
    }

    [Test]
    public async Task SelfJoinNeedsAliases()
    {
        Assert.That(await Col("SELECT COUNT(*) FROM stars a JOIN stars b ON a.id < b.id"), Is.EqualTo(new object[] { 10L }));
        var e = (await Assert.ThrowsAsync<AdqlException>(() => Run("SELECT * FROM stars, stars")))!;
        Assert.That(e.Message, Does.Contain("used twice"));
    }
}

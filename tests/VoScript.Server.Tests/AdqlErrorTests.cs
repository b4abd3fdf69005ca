using VoScript.Server.Storage;
using static VoScript.Server.Tests.StoreTestSupport;

namespace VoScript.Server.Tests;

/// <summary>What the translator refuses: the message names the construct, the position points at it.</summary>
public class AdqlErrorTests
{
    private static DuckDbTableStore _store = null!;

    [OneTimeSetUp]
    public async Task Load() => _store = await StoreWithStars();

    [OneTimeTearDown]
    public async Task Dispose() => await _store.DisposeAsync();

    [TestCase("SELECT id FROM nosuch", 1, 16, "unknown table nosuch")]
    [TestCase("SELECT id FROM other.stars", 1, 16, "unknown table other.stars")]
    [TestCase("SELECT id,\n  nosuch FROM stars", 2, 3, "unknown column nosuch")]
    [TestCase("SELECT s.nosuch FROM stars s", 1, 10, "unknown column nosuch in s")]
    [TestCase("SELECT x.id FROM stars s", 1, 8, "unknown table x")]
    [TestCase("SELECT id FROM stars WHERE FOO(ra) > 1", 1, 28, "unknown function FOO")]
    [TestCase("SELECT ivo_healpix_index(10, ra, dec) FROM stars", 1, 8, "user-defined function")]
    [TestCase("SELECT id FROM stars WHERE CONTAINS(POINT('GALACTIC', ra, dec), CIRCLE(1, 2, 3)) = 1", 1, 43, "coordinate system 'GALACTIC'")]
    [TestCase("SELECT id FROM stars WHERE CONTAINS(POINT(ra, dec), POLYGON(ra, dec, 1, 2, 3, 4)) = 1", 1, 61, "POLYGON with column values")]
    [TestCase("SELECT id FROM stars WHERE INTERSECTS(POLYGON(1, 2, 3, 4, 5, 6), POLYGON(1, 2, 3, 4, 5, 6)) = 1", 1, 28, "INTERSECTS of POLYGON and POLYGON")]
    [TestCase("SELECT id FROM stars WHERE CONTAINS(CIRCLE(1, 2, 3), POINT(ra, dec)) = 1", 1, 28, "CONTAINS(CIRCLE, POINT)")]
    [TestCase("SELECT POINT(ra) FROM stars", 1, 8, "POINT takes two coordinates")]
    [TestCase("SELECT id FROM stars WHERE CONTAINS(POINT(ra, dec), POLYGON(0, 0, 1, 1)) = 1", 1, 53, "at least three vertices")]
    [TestCase("SELECT id FROM stars WHERE CONTAINS(POINT(ra, dec), POLYGON(0, 0, 120, 0, 240, 0)) = 1", 1, 53, "hemisphere")]
    [TestCase("SELECT id FROM stars WHERE ra + POINT(1, 2) > 0", 1, 33, "is a geometry, not a number")]
    [TestCase("SELECT CAST(ra AS BLOB) FROM stars", 1, 19, "CAST to BLOB")]
    [TestCase("SELECT SQRT(1, 2) FROM stars", 1, 8, "SQRT takes 1 argument")]
    [TestCase("SELECT id FROM stars WHERE COUNT(*) > 1", 1, 28, "not allowed in WHERE")]
    [TestCase("SELECT id FROM stars ORDER BY 3", 1, 31, "give a position from 1 to 1")]
    [TestCase("SELECT id FROM stars WHERE id IN (SELECT id, ra FROM stars)", 1, 31, "must select one")]
    [TestCase("SELECT id FROM TAP_UPLOAD.mine", 1, 16, "no upload of that name")]
    [TestCase("SELECT a.id FROM stars a JOIN stars b ON a.id = b.id WHERE id = 1", 1, 60, "ambiguous")]
    [TestCase("SELECT id FROM stars UNION SELECT id, ra FROM stars", 1, 22, "same number")]
    public async Task RefusedQueriesNameTheConstructAndItsPosition(string adql, int line, int column, string text)
    {
        var e = (await Assert.ThrowsAsync<AdqlException>(() => _store.ExecuteAsync(adql, NoUploads, 10)))!;
        Assert.That(e.Message, Does.Contain(text));
        Assert.That((e.Line, e.Column), Is.EqualTo((line, column)), e.Message);
    }

    [Test]
    public async Task UnknownColumnMessageListsTheColumnsThereAre()
    {
        var e = (await Assert.ThrowsAsync<AdqlException>(() => _store.ExecuteAsync("SELECT rra FROM stars", NoUploads, 10)))!;
        Assert.That(e.Message, Does.Contain("id, ra, dec, Mag, name, flags"));
    }

    [Test]
    public async Task RuntimeErrorOfTheDatabaseIsAnAdqlException()
    {
        var e = (await Assert.ThrowsAsync<AdqlException>(() => _store.ExecuteAsync("SELECT CAST(name AS INTEGER) FROM stars", NoUploads, 10)))!;
        Assert.That(e.Message, Does.StartWith("the database could not run the query"));
    }
}

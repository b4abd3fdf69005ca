using NUnit.Framework;
using VoScript.Engine.Runtime;
using VoScript.Engine.Runtime.Modules;
using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Protocols.Tap;

namespace VoScript.Engine.Tests.Protocols;

/// <summary>Messages a newcomer reads (issue 14): counts with the right plural, the raw body only when nothing better was extracted.</summary>
public class NewcomerMessageTests
{
    [TestCase(20000000L, "row", "20000000 rows")]
    [TestCase(1L, "row", "1 row")]
    [TestCase(0L, "row", "0 rows")]
    [TestCase(1048576L, "byte", "1048576 bytes")]
    [TestCase(null, "row", "-")]
    [TestCase(5L, null, "5")]
    public void LintSaysOutputLimitsWithTheirPlural(long? n, string? unit, string expected) =>
        Assert.That(TapLint.Amount(n, unit), Is.EqualTo(expected));

    [Test]
    public void TheRawBodyIsLeftOutWhenTheServiceMessageWasExtracted()
    {
        var url = new Uri("http://x.test/tap/sync");
        var withMessage = new ServiceException("TAP query failed; the service says: no such table", url, 400, "<?xml-stylesheet href='/x'?><VOTABLE>…", "no such table");
        Assert.That(withMessage.Message, Does.Not.Contain("body starts"));
        Assert.That(withMessage.Detailed, Does.Contain("body starts: <?xml-stylesheet"));
        var without = new ServiceException("TAP query failed with HTTP 502.", url, 502, "<html>Bad gateway</html>");
        Assert.That(without.Message, Does.Contain("body starts: <html>Bad gateway</html>"), "nothing else says what the service sent");
    }

    [Test]
    public void ShowDoesNotRepeatPrintsLineAndCountsInTheSingular()
    {
        var t = new VoScript.Engine.Model.Table("t");
        t.AddColumn(new VoScript.Engine.Model.ScalarColumn<int>(new VoScript.Engine.Model.Field("x", VoScript.Engine.Model.DataType.Int), [1, 2]));
        Assert.That(TableText.Summary("t", t), Is.EqualTo("t: 2 rows, 1 column (x)"));
        var grid = TableText.Grid("t", t, 1);
        Assert.That(grid.Split('\n')[0], Is.EqualTo("t: first 1 of 2 rows"));
        Assert.That(grid, Does.Not.Contain(TableText.Summary("t", t)));
        Assert.That(grid.Split('\n')[^1], Is.EqualTo("… 1 more row"));
    }
}

using VoScript.Cli.Repl;

namespace VoScript.Cli.Tests.Repl;

public class HistoryTests
{
    private string _path = "";

    [SetUp]
    public void SetUp() => _path = Path.Combine(Path.GetTempPath(), "vos-history-" + Guid.NewGuid().ToString("N"), "history");

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(Path.GetDirectoryName(_path))) Directory.Delete(Path.GetDirectoryName(_path)!, true);
    }

    [Test]
    public void EntriesSurviveIntoTheNextSessionIncludingMultiLineOnes()
    {
        var h = new History(_path);
        h.Add("let a = 1");
        h.Add("query x as t {\n  SELECT '\\n' FROM y\n}");
        var next = new History(_path);
        Assert.That(next.Entries, Is.EqualTo(new[] { "let a = 1", "query x as t {\n  SELECT '\\n' FROM y\n}" }));
        Assert.That(File.ReadAllLines(_path), Has.Length.EqualTo(2), "one entry a line");
    }

    [Test]
    public void UpAndDownWalkTheEntriesAndComeBackToTheDraft()
    {
        var h = new History(null);
        h.Add("one");
        h.Add("two");
        Assert.That(h.Previous("draft"), Is.EqualTo("two"));
        Assert.That(h.Previous("two"), Is.EqualTo("one"));
        Assert.That(h.Previous("one"), Is.Null, "nothing older");
        Assert.That(h.Next(), Is.EqualTo("two"));
        Assert.That(h.Next(), Is.EqualTo("draft"));
        Assert.That(h.Next(), Is.Null);
    }

    [Test]
    public void RepeatsAndBlankEntriesAreNotStored()
    {
        var h = new History(_path);
        h.Add("show t");
        h.Add("show t");
        h.Add("   ");
        Assert.That(new History(_path).Entries, Is.EqualTo(new[] { "show t" }));
    }

    [Test]
    public void DefaultPathIsInTheUsersConfigFolder() =>
        Assert.That(History.DefaultPath(), Does.EndWith(Path.Combine("voscript", "history")));
}

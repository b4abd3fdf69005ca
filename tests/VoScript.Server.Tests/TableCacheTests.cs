using VoScript.Engine.Formats;
using VoScript.Engine.Formats.Streams;
using VoScript.Server.Storage;
using VoScript.Server.Tap;

namespace VoScript.Server.Tests;

/// <summary><c>serve --cache DIR</c>: a served file's table kept as a database file, used while the file is unchanged.</summary>
[TestFixture]
public class TableCacheTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "vos-cache-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private string Source => Path.Combine(_dir, "stars.vot");
    private string Folder => Path.Combine(_dir, "cache");

    /// <summary>Starts a service on the file as serve does with --cache (read, load, lock down); returns it and how many tables came from the cache.</summary>
    private async Task<(TapServer Server, ITableStore Store, int Hits, ServeSummary Summary)> Serve()
    {
        var cache = new TableCache(Folder);
        var files = new[] { new ServedFile(Source, "data", "stars") };
        var tables = ServeSetup.ReadFiles(files, cache);
        var store = TapTestServer.NewStore();
        var server = await TapServer.StartAsync(store, new TapServiceOptions { Port = 0 });
        var summary = await ServeSetup.LoadAsync(server, store, tables, null, CancellationToken.None, cache);
        store.LockDown(new StoreLimits { MemoryLimitBytes = 1L << 30, Threads = 2 });
        return (server, store, cache.Hits, summary);
    }

    private static async Task<string> Rows(ITableStore store)
    {
        var r = await store.ExecuteAsync("SELECT id, ra, mag, name FROM data.stars WHERE 1 = CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', 10, -5, 1)) ORDER BY id",
            new Dictionary<string, Engine.Model.Table>(), 100);
        var t = r.Table;
        return string.Join("\n", Enumerable.Range(0, t.RowCount).Select(i => string.Join(",", t.Columns.Select(c => c.IsNull(i) ? "null" : c.FormatCell(i)))));
    }

    [Test]
    public async Task TheSecondStartUsesTheCacheAndAnswersTheSame()
    {
        TableFiles.Write(TapTestServer.Stars(), Source);
        var (server, store, hits, _) = await Serve();
        string first;
        await using (server)
        await using (store)
        {
            Assert.That(hits, Is.EqualTo(0));
            first = await Rows(store);
        }
        Assert.That(Directory.GetFiles(Folder).Select(Path.GetFileName), Has.Exactly(1).EndsWith(".duckdb").And.Exactly(1).EndsWith(".meta.vot"));

        (server, store, hits, var summary) = await Serve();
        await using (server)
        await using (store)
        {
            Assert.That(hits, Is.EqualTo(1), "the unchanged file comes from the cache");
            Assert.That(summary.Warnings, Is.Empty);
            Assert.That(await Rows(store), Is.EqualTo(first).And.Contain("null"), "same rows after the lock-down, nulls kept");
            var served = store.Tables.Single(t => t.Name == "stars");
            Assert.That(served.Rows, Is.EqualTo(5));
            Assert.That(served.Description, Is.EqualTo("Five test stars"));
            var ra = served.Fields.Single(f => f.Name == "ra");
            Assert.That((ra.Unit, ra.Ucd, ra.Description), Is.EqualTo(("deg", "pos.eq.ra;meta.main", "Right ascension")));
            // TAP_SCHEMA describes the cached table as any other
            var cols = await store.ExecuteAsync("SELECT column_name, unit FROM TAP_SCHEMA.columns WHERE table_name = 'data.stars' ORDER BY column_name",
                new Dictionary<string, Engine.Model.Table>(), 100);
            Assert.That(cols.Table.RowCount, Is.EqualTo(5));
        }
    }

    [Test]
    public async Task AChangedFileIsReadAgainAndTheOldEntryDeleted()
    {
        TableFiles.Write(TapTestServer.Stars(), Source);
        var (server, store, _, _) = await Serve();
        await server.DisposeAsync();
        await store.DisposeAsync();
        var before = Directory.GetFiles(Folder).Order().ToList();

        var changed = TapTestServer.Stars().SelectRows([0, 1]);
        TableFiles.Write(changed, Source);
        (server, store, var hits, _) = await Serve();
        await using (server)
        await using (store)
        {
            Assert.That(hits, Is.EqualTo(0), "a changed file is not taken from the cache");
            Assert.That(store.Tables.Single(t => t.Name == "stars").Rows, Is.EqualTo(2));
        }
        var after = Directory.GetFiles(Folder).Order().ToList();
        Assert.That(after, Has.Count.EqualTo(2));
        Assert.That(after, Is.Not.EqualTo(before), "the old entry is replaced");
    }

    [Test]
    public async Task ADamagedEntryIsAWarningAndTheFileIsReadAgain()
    {
        TableFiles.Write(TapTestServer.Stars(), Source);
        var (server, store, _, _) = await Serve();
        await server.DisposeAsync();
        await store.DisposeAsync();
        var database = Directory.GetFiles(Folder, "*.duckdb").Single();
        File.WriteAllText(database, "not a database");

        (server, store, var hits, var summary) = await Serve();
        await using (server)
        await using (store)
        {
            Assert.That(hits, Is.EqualTo(0));
            Assert.That(summary.Warnings.Single(), Does.Contain("cannot be used; the file was read again"));
            Assert.That(store.Tables.Single(t => t.Name == "stars").Rows, Is.EqualTo(5));
        }
    }

    [Test]
    public void TheKeyFollowsContentSizeAndTime()
    {
        File.WriteAllText(Source, "abc");
        var k1 = TableCache.Key(Source);
        Assert.That(TableCache.Key(Source), Is.EqualTo(k1));
        File.WriteAllText(Source, "abd");
        File.SetLastWriteTimeUtc(Source, File.GetLastWriteTimeUtc(Source));
        Assert.That(TableCache.Key(Source), Is.Not.EqualTo(k1), "same size, other bytes");
        var k2 = TableCache.Key(Source);
        File.SetLastWriteTimeUtc(Source, DateTime.UtcNow.AddMinutes(-5));
        Assert.That(TableCache.Key(Source), Is.Not.EqualTo(k2), "same bytes, other time");
    }
    [Test]
    public async Task TheEntryIsKeyedByTheFileAsItWasWhenLookedUpNotHashedAgainOnSave()
    {
        // the key is computed once, in TryRead (before the file is read); SaveAsync uses it. A file changed between the
        // look-up and the save thus gets an entry that does not match it, and is read again next time.
        TableFiles.Write(TapTestServer.Stars(), Source);
        var cache = new TableCache(Folder);
        var file = new ServedFile(Source, "data", "stars");
        var expected = cache.PathsFor(file);
        Assert.That(cache.TryRead(file), Is.Null, "empty cache");
        TableFiles.Write(TapTestServer.Stars().SelectRows([0]), Source);
        File.SetLastWriteTimeUtc(Source, DateTime.UtcNow.AddMinutes(-5));
        string? written = null;
        await cache.SaveAsync(file, TapTestServer.Stars(), database =>
        {
            written = database;
            return File.WriteAllTextAsync(database, "rows");
        });
        Assert.That(written, Is.EqualTo(expected.Database), "the key of the look-up, not a second hash of the changed file");
        Assert.That(new TableCache(Folder).TryRead(file), Is.Null, "the changed file does not match the entry");
    }
}

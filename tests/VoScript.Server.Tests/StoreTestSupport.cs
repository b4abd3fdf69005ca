using VoScript.Engine.Model;
using VoScript.Server.Storage;

namespace VoScript.Server.Tests;

/// <summary>Small tables for the store tests, and a store loaded with them.</summary>
internal static class StoreTestSupport
{
    /// <summary>
    /// Five stars: id, ra, dec (pos.eq), mag (float, one null), name, flags (int array),
    /// with units/UCDs/descriptions to check that metadata reaches the results.
    /// </summary>
    public static Table Stars()
    {
        var t = new Table("stars") { Description = "five test stars" };
        t.AddColumn(new ScalarColumn<long>(new Field("id", DataType.Long) { Ucd = "meta.id;meta.main" }, [1, 2, 3, 4, 5]));
        t.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Unit = "deg", Ucd = "pos.eq.ra;meta.main", Description = "Right ascension" }, [10.0, 10.5, 200.0, 359.9, 0.1]));
        t.AddColumn(new ScalarColumn<double>(new Field("dec", DataType.Double) { Unit = "deg", Ucd = "pos.eq.dec;meta.main" }, [20.0, 20.2, -45.0, 0.0, 0.0]));
        var mag = new ScalarColumn<float>(new Field("Mag", DataType.Float) { Unit = "mag", Ucd = "phot.mag;em.opt.V" }, [12.5f, 13.0f, 0f, 9.25f, 15.5f]);
        mag.SetNull(2);
        t.AddColumn(mag);
        t.AddColumn(new StringColumn(new Field("name", DataType.Char, ArraySize.Variable), ["alpha", "beta", null, "delta", "Epsilon"]));
        t.AddColumn(new ArrayColumn<int>(new Field("flags", DataType.Int, ArraySize.Variable), [1, 2, 3, 4, 5, 6], [0, 2, 3, 3, 5, 6], 5));
        return t;
    }

    public static async Task<DuckDbTableStore> StoreWithStars()
    {
        var store = new DuckDbTableStore();
        await store.LoadAsync("public", "stars", Stars());
        return store;
    }

    public static Table Positions(params (string Id, double Ra, double Dec)[] rows)
    {
        var t = new Table("positions");
        t.AddColumn(new StringColumn(new Field("pid", DataType.Char, ArraySize.Variable), rows.Select(r => (string?)r.Id).ToArray()));
        t.AddColumn(new ScalarColumn<double>(new Field("ra", DataType.Double) { Unit = "deg" }, rows.Select(r => r.Ra).ToArray()));
        t.AddColumn(new ScalarColumn<double>(new Field("dec", DataType.Double) { Unit = "deg" }, rows.Select(r => r.Dec).ToArray()));
        return t;
    }

    public static readonly IReadOnlyDictionary<string, Table> NoUploads = new Dictionary<string, Table>();

    public static object?[] ColumnValues(Table t, string name) =>
        Enumerable.Range(0, t.RowCount).Select(r => t.FindColumn(name)!.GetValue(r)).ToArray();
}

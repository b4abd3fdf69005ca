using System.Globalization;
using VoScript.Engine.Science.Sky;
using VoScript.Engine.Model;
using VoScript.Engine.Science.Verbs;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Protocols.Tap;

namespace VoScript.Engine.Science.RemoteMatch;

/// <summary>
/// Collects the pairs of the blocks' results and builds the match table: T's columns, the remote columns, and
/// <c>separation</c> in arcsec, one row per pair, ordered by T's row, then separation. The separation is computed here
/// (haversine, as the local <c>match</c> does) from the remote positions, and pairs beyond the radius (the service was
/// asked for a little more) are dropped, so that the pairs are those of a local <c>match</c> of the whole remote table.
/// Thread-safe: blocks report as they finish.
/// </summary>
internal sealed class RemotePairs
{
    private readonly object _lock = new();
    private readonly double[] _ra;
    private readonly double[] _dec;
    private readonly double _radius;
    private readonly RemoteMatchMode _mode;
    private readonly List<(int Order, Table Rows, int[] TRows, double[] Sep)> _parts = [];
    private readonly bool[] _matched;

    /// <param name="ra">T's RA in degrees, by T's row.</param>
    /// <param name="dec">T's Dec in degrees, by T's row.</param>
    /// <param name="radiusDegrees">the match angle.</param>
    /// <param name="mode">best for T, or all.</param>
    public RemotePairs(double[] ra, double[] dec, double radiusDegrees, RemoteMatchMode mode)
    {
        _ra = ra;
        _dec = dec;
        _radius = radiusDegrees;
        _mode = mode;
        _matched = new bool[ra.Length];
    }

    /// <summary>Pairs kept so far.</summary>
    public int Pairs { get; private set; }

    /// <summary>T's rows with a pair so far.</summary>
    public int MatchedRows { get; private set; }

    /// <summary>T's rows without a pair (so far; final once every block is in).</summary>
    public int UnmatchedRows => _ra.Length - MatchedRows;

    /// <summary>
    /// Adds one block's result: a table with the <see cref="RemoteMatchAdql.RowColumn"/>, <see cref="RemoteMatchAdql.RemoteRaColumn"/> and
    /// <see cref="RemoteMatchAdql.RemoteDecColumn"/> columns and the remote columns. <paramref name="order"/> orders equal
    /// separations (the block's first upload row).
    /// </summary>
    public void Add(Table result, int order)
    {
        var rowCol = Find(result, RemoteMatchAdql.RowColumn);
        var ra = Positions.ToDegrees(Find(result, RemoteMatchAdql.RemoteRaColumn), isRa: true);
        var dec = Positions.ToDegrees(Find(result, RemoteMatchAdql.RemoteDecColumn), isRa: false);
        var n = result.RowCount;
        var keep = new List<int>();
        var tRows = new List<int>();
        var seps = new List<double>();
        var bestAt = _mode == RemoteMatchMode.BestForTable ? new Dictionary<int, int>() : null;
        for (var i = 0; i < n; i++)
        {
            if (rowCol.IsNull(i)) continue;
            var t = rowCol.GetDouble(i);
            if (!(t >= 0 && t < _ra.Length) || t != Math.Floor(t))
                throw new VoScriptException(string.Create(CultureInfo.InvariantCulture, $"the service returned a row number {t} that was not uploaded; its upload join is broken"));
            var tRow = (int)t;
            if (double.IsNaN(ra[i]) || double.IsNaN(dec[i])) continue;
            var sep = SkyMatch.Separation(_ra[tRow], _dec[tRow], ra[i], dec[i]);
            if (!(sep <= _radius)) continue;
            if (bestAt is not null)
            {
                if (bestAt.TryGetValue(tRow, out var at))
                {
                    if (sep < seps[at]) { keep[at] = i; seps[at] = sep; }
                    continue;
                }
                bestAt[tRow] = keep.Count;
            }
            keep.Add(i);
            tRows.Add(tRow);
            seps.Add(sep);
        }
        var rows = result.SelectRows(keep);
        lock (_lock)
        {
            _parts.Add((order, rows, tRows.ToArray(), seps.ToArray()));
            Pairs += keep.Count;
            foreach (var t in tRows)
                if (!_matched[t]) { _matched[t] = true; MatchedRows++; }
        }
    }

    /// <summary>A column of no rows for a field known from the service's metadata only.</summary>
    internal static Column EmptyColumn(Field field)
    {
        var f = field.Clone();
        if (f.IsString) return new StringColumn(f, []);
        if (f.DataType == DataType.Boolean) return new ScalarColumn<bool>(f, []);
        if (f.DataType.IsInteger()) { f.DataType = DataType.Long; return new ScalarColumn<long>(f, []); }
        f.DataType = DataType.Double;
        return new ScalarColumn<double>(f, []);
    }

    private static Column Find(Table t, string name) =>
        t.FindColumn(name) ?? t.Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new VoScriptException($"the service's answer has no column '{name}', which the query asked for; it does not run upload joins as TAP says");

    /// <summary>
    /// The match table. <paramref name="remoteFields"/> are the remote columns to keep (by name, from the results;
    /// their metadata is used when no block returned a row); <paramref name="tName"/> and <paramref name="remoteName"/>
    /// prefix names both sides have.
    /// </summary>
    public Table Build(Table t, IReadOnlyList<Field> remoteFields, string tName, string remoteName, string? name = null)
    {
        List<(int Order, Table Rows, int[] TRows, double[] Sep)> parts;
        lock (_lock) parts = [.. _parts.OrderBy(p => p.Order)];
        // the remote rows of every block, one after the other
        Table remote;
        var withRows = parts.Where(p => p.Rows.RowCount > 0).ToList();
        if (withRows.Count > 0)
            remote = Stack.Run(withRows.Select((p, k) => (string.Create(CultureInfo.InvariantCulture, $"block{k}"), p.Rows)).ToList());
        else
        {
            remote = new Table();
            foreach (var f in remoteFields) remote.AddColumn(EmptyColumn(f));
        }
        var tRows = withRows.SelectMany(p => p.TRows).ToArray();
        var seps = withRows.SelectMany(p => p.Sep).ToArray();
        var order = ColumnVerbs.Identity(tRows.Length);
        Array.Sort(order, (x, y) => tRows[x] != tRows[y] ? tRows[x].CompareTo(tRows[y]) : seps[x] != seps[y] ? seps[x].CompareTo(seps[y]) : x.CompareTo(y));
        var remoteColumns = remoteFields.Select(f => remote.FindColumn(f.Name)
            ?? remote.Columns.FirstOrDefault(c => string.Equals(c.Name.Trim('"'), f.Name, StringComparison.OrdinalIgnoreCase))
            ?? throw new VoScriptException($"the service's answer has no column '{f.Name}', which the query asked for")).ToList();
        var schema = SkyMatch.Schema(VerbColumns.FieldsOf(t), remoteColumns.Select(c => c.Field).ToList(), tName, remoteName, checkPositions: false).OrThrow("match");
        var result = new Table(name ?? $"{tName}_{remoteName}");
        var takeT = order.Select(i => tRows[i]).ToArray();
        var at = 0;
        foreach (var c in t.Columns) result.AddColumn(VerbColumns.Take(c, takeT, schema.Fields[at++]));
        foreach (var c in remoteColumns) result.AddColumn(VerbColumns.Take(c, order, schema.Fields[at++]));
        var sep = new double[order.Length];
        for (var i = 0; i < order.Length; i++) sep[i] = seps[order[i]] * Angles.ArcsecPerDegree;
        result.AddColumn(new ScalarColumn<double>(schema.Fields[at], sep));
        result.Warnings.AddRange(t.Warnings);
        result.Warnings.AddRange(remote.Warnings);
        return result;
    }
}

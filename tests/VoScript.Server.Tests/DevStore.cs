// TEMPORARY test double until the real store of branch serve-adql is merged: answers only SELECT [TOP n] * FROM schema.table. To be deleted then.
using System.Text.RegularExpressions;
using VoScript.Engine.Tables;

namespace VoScript.Server.Tests;

internal sealed class DevStore : ITableStore
{
    private readonly List<(StoredTable Meta, Table Table)> _tables = [];
    public IReadOnlyList<StoredTable> Tables => _tables.Select(t => t.Meta).ToList();

    public Task LoadAsync(string schema, string name, Table table, CancellationToken cancellationToken = default)
    {
        _tables.RemoveAll(t => t.Meta.Schema == schema && t.Meta.Name == name);
        _tables.Add((new StoredTable(schema, name, table.Fields.Select(f => f.Clone()).ToList(), table.RowCount, table.Description), table));
        return Task.CompletedTask;
    }

    public async Task<QueryResult> ExecuteAsync(string adql, IReadOnlyDictionary<string, Table> uploads, long maxRecords, CancellationToken cancellationToken = default)
    {
        var m = Regex.Match(adql.Trim(), @"^SELECT\s+(TOP\s+(\d+)\s+)?\*\s+FROM\s+(\w+)\.(\w+)$", RegexOptions.IgnoreCase);
        if (!m.Success) throw new AdqlException("dev store: unsupported query", 1, 1);
        if (m.Groups[4].Value == "sleep") { await Task.Delay(30000, cancellationToken); }
        Table? t = m.Groups[3].Value.Equals("TAP_UPLOAD", StringComparison.OrdinalIgnoreCase)
            ? uploads.FirstOrDefault(u => u.Key.Equals(m.Groups[4].Value, StringComparison.OrdinalIgnoreCase)).Value
            : _tables.FirstOrDefault(x => x.Meta.Schema.Equals(m.Groups[3].Value, StringComparison.OrdinalIgnoreCase) && x.Meta.Name.Equals(m.Groups[4].Value, StringComparison.OrdinalIgnoreCase)).Table;
        if (t is null) throw new AdqlException($"unknown table {m.Groups[3].Value}.{m.Groups[4].Value}", 1, 15);
        long n = t.RowCount;
        if (m.Groups[2].Success) n = Math.Min(n, long.Parse(m.Groups[2].Value));
        var take = (int)Math.Min(n, maxRecords);
        var r = t.SelectRows(Enumerable.Range(0, take).ToList());
        return new QueryResult(r, n > maxRecords);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

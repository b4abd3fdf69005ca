namespace VoScript.Engine.Model;

/// <summary>
/// Metadata of an element that encloses tables (the VOTABLE document or a
/// RESOURCE): kept so that writing a table back reproduces its context.
/// </summary>
public sealed class ContainerMeta
{
    /// <summary>The name attribute.</summary>
    public string? Name { get; set; }
    /// <summary>The ID attribute.</summary>
    public string? Id { get; set; }
    /// <summary>RESOURCE@type (<c>results</c> or <c>meta</c>); VOTABLE@version for the document.</summary>
    public string? Type { get; set; }
    /// <summary>The utype.</summary>
    public string? Utype { get; set; }
    /// <summary>The DESCRIPTION text.</summary>
    public string? Description { get; set; }
    /// <summary>Its INFO elements.</summary>
    public List<Info> Infos { get; } = [];
    /// <summary>Its PARAMs.</summary>
    public List<Param> Params { get; } = [];
    /// <summary>Its GROUPs.</summary>
    public List<Group> Groups { get; } = [];
    /// <summary>Its COOSYS and TIMESYS elements.</summary>
    public List<MetaElement> Systems { get; } = [];
    /// <summary>Its LINK elements.</summary>
    public List<Link> Links { get; } = [];

    /// <summary>
    /// Index in <see cref="Infos"/> of the first INFO that came after the tables
    /// (VOTABLE) or after a TABLE/RESOURCE block (RESOURCE); null when all came before.
    /// </summary>
    public int? TrailingInfosFrom { get; set; }
}

/// <summary>
/// A table: typed columns of equal length plus everything VOTable said about
/// them and around them (PARAMs, INFOs, COOSYS/TIMESYS, GROUPs, descriptions).
/// </summary>
public sealed class Table
{
    private readonly List<Column> _columns = [];

    /// <summary>An empty table, optionally named.</summary>
    public Table(string? name = null) => Name = name;

    /// <summary>The name attribute.</summary>
    public string? Name { get; set; }
    /// <summary>The ID attribute.</summary>
    public string? Id { get; set; }
    /// <summary>The UCD.</summary>
    public string? Ucd { get; set; }
    /// <summary>The utype.</summary>
    public string? Utype { get; set; }
    /// <summary>The ref attribute.</summary>
    public string? Ref { get; set; }
    /// <summary>The DESCRIPTION text.</summary>
    public string? Description { get; set; }

    /// <summary>TABLE@nrows as the document declared it (may be wrong; never trusted).</summary>
    public long? DeclaredRows { get; set; }

    /// <summary>The columns in order.</summary>
    public IReadOnlyList<Column> Columns => _columns;
    /// <summary>The columns' metadata in order.</summary>
    public IEnumerable<Field> Fields => _columns.Select(c => c.Field);
    /// <summary>The table's PARAMs.</summary>
    public List<Param> Params { get; } = [];
    /// <summary>INFOs inside TABLE (before and after the data, in order).</summary>
    public List<Info> Infos { get; } = [];

    /// <summary>Index in <see cref="Infos"/> of the first INFO that came after the data; null when all came before.</summary>
    public int? TrailingInfosFrom { get; set; }
    /// <summary>The table's GROUPs.</summary>
    public List<Group> Groups { get; } = [];
    /// <summary>The table's LINKs.</summary>
    public List<Link> Links { get; } = [];

    /// <summary>The enclosing RESOURCE, when read from a VOTable.</summary>
    public ContainerMeta? Resource { get; set; }

    /// <summary>The VOTABLE document around it, when read from a VOTable (Type holds the version).</summary>
    public ContainerMeta? Document { get; set; }

    /// <summary>Warnings found while reading or repairing this table, de-duplicated and counted.</summary>
    public TableWarnings Warnings { get; } = new();

    /// <summary>The number of rows (0 without columns).</summary>
    public int RowCount => _columns.Count == 0 ? 0 : _columns[0].Count;

    /// <summary>The number of columns.</summary>
    public int ColumnCount => _columns.Count;

    /// <summary>Adds a column at the end; it must have as many rows as the table.</summary>
    public void AddColumn(Column column)
    {
        if (_columns.Count > 0 && column.Count != RowCount)
            throw new ArgumentException($"column '{column.Name}' has {column.Count} rows, the table has {RowCount}");
        _columns.Add(column);
    }

    /// <summary>Inserts a column at <paramref name="index"/>; it must have as many rows as the table.</summary>
    public void InsertColumn(int index, Column column)
    {
        if (_columns.Count > 0 && column.Count != RowCount)
            throw new ArgumentException($"column '{column.Name}' has {column.Count} rows, the table has {RowCount}");
        _columns.Insert(index, column);
    }

    /// <summary>Replaces the column at <paramref name="index"/>; the new one must have as many rows.</summary>
    public void ReplaceColumn(int index, Column column)
    {
        if (column.Count != RowCount)
            throw new ArgumentException($"column '{column.Name}' has {column.Count} rows, the table has {RowCount}");
        _columns[index] = column;
    }

    /// <summary>Removes the column at <paramref name="index"/>.</summary>
    public void RemoveColumn(int index) => _columns.RemoveAt(index);

    /// <summary>The column named <paramref name="name"/>: an exact match first, then ignoring case.</summary>
    public Column? FindColumn(string name) =>
        _columns.FirstOrDefault(c => c.Name == name)
        ?? _columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The index of the column named exactly <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < _columns.Count; i++) if (_columns[i].Name == name) return i;
        for (var i = 0; i < _columns.Count; i++) if (string.Equals(_columns[i].Name, name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    /// <summary>
    /// The last QUERY_STATUS INFO (DALI §4.4: a trailing one overrides a leading one),
    /// looked for in the table, its resource, then the document.
    /// </summary>
    public Info? QueryStatus =>
        Infos.LastOrDefault(IsQueryStatus)
        ?? Resource?.Infos.LastOrDefault(IsQueryStatus)
        ?? Document?.Infos.LastOrDefault(IsQueryStatus);

    private static bool IsQueryStatus(Info i) => string.Equals(i.Name, "QUERY_STATUS", StringComparison.OrdinalIgnoreCase);

    /// <summary>A new table with the given rows (in order), sharing no storage, keeping all metadata.</summary>
    public Table SelectRows(IReadOnlyList<int> rows)
    {
        var t = CopyMetadata();
        foreach (var c in _columns) t.AddColumn(c.Select(rows));
        return t;
    }

    /// <summary>A table with the same metadata and no columns.</summary>
    public Table CopyMetadata()
    {
        var t = new Table(Name)
        {
            Id = Id, Ucd = Ucd, Utype = Utype, Ref = Ref, Description = Description,
            Resource = Resource, Document = Document, TrailingInfosFrom = TrailingInfosFrom,
        };
        t.Params.AddRange(Params);
        t.Infos.AddRange(Infos);
        t.Groups.AddRange(Groups);
        t.Links.AddRange(Links);
        return t;
    }

    /// <summary>The name, rows and columns, for debugging.</summary>
    public override string ToString() => $"{Name ?? "(unnamed)"}: {RowCount} rows × {ColumnCount} columns";
}

/// <summary>A warning about a table, with how often it happened.</summary>
public sealed record TableWarning(string Code, string Message, int Count);

/// <summary>De-duplicating, counting collection of warnings (same code and message = one entry).</summary>
public sealed class TableWarnings
{
    private readonly Dictionary<(string, string), int> _counts = [];
    private readonly List<(string Code, string Message)> _order = [];

    /// <summary>Adds a warning (counted when the same code and message come again).</summary>
    public void Add(string code, string message)
    {
        var key = (code, message);
        if (_counts.TryGetValue(key, out var n)) _counts[key] = n + 1;
        else { _counts[key] = 1; _order.Add(key); }
    }

    /// <summary>The number of distinct warnings.</summary>
    public int Count => _order.Count;

    /// <summary>The distinct warnings in the order first seen, with their counts.</summary>
    public IEnumerable<TableWarning> All => _order.Select(k => new TableWarning(k.Code, k.Message, _counts[k]));

    /// <summary>Adds every warning of <paramref name="other"/>, with its counts.</summary>
    public void AddRange(TableWarnings other)
    {
        foreach (var w in other.All)
            for (var i = 0; i < w.Count; i++) Add(w.Code, w.Message);
    }
}

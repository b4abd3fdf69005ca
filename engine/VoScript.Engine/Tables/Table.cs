namespace VoScript.Engine.Tables;

/// <summary>
/// Metadata of an element that encloses tables (the VOTABLE document or a
/// RESOURCE): kept so that writing a table back reproduces its context.
/// </summary>
public sealed class ContainerMeta
{
    public string? Name { get; set; }
    public string? Id { get; set; }
    /// <summary>RESOURCE@type (<c>results</c> or <c>meta</c>); VOTABLE@version for the document.</summary>
    public string? Type { get; set; }
    public string? Utype { get; set; }
    public string? Description { get; set; }
    public List<Info> Infos { get; } = [];
    public List<Param> Params { get; } = [];
    public List<Group> Groups { get; } = [];
    public List<MetaElement> Systems { get; } = [];
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

    public Table(string? name = null) => Name = name;

    public string? Name { get; set; }
    public string? Id { get; set; }
    public string? Ucd { get; set; }
    public string? Utype { get; set; }
    public string? Ref { get; set; }
    public string? Description { get; set; }

    /// <summary>TABLE@nrows as the document declared it (may be wrong; never trusted).</summary>
    public long? DeclaredRows { get; set; }

    public IReadOnlyList<Column> Columns => _columns;
    public IEnumerable<Field> Fields => _columns.Select(c => c.Field);
    public List<Param> Params { get; } = [];
    /// <summary>INFOs inside TABLE (before and after the data, in order).</summary>
    public List<Info> Infos { get; } = [];

    /// <summary>Index in <see cref="Infos"/> of the first INFO that came after the data; null when all came before.</summary>
    public int? TrailingInfosFrom { get; set; }
    public List<Group> Groups { get; } = [];
    public List<Link> Links { get; } = [];

    /// <summary>The enclosing RESOURCE, when read from a VOTable.</summary>
    public ContainerMeta? Resource { get; set; }

    /// <summary>The VOTABLE document around it, when read from a VOTable (Type holds the version).</summary>
    public ContainerMeta? Document { get; set; }

    /// <summary>Warnings found while reading or repairing this table, de-duplicated and counted.</summary>
    public TableWarnings Warnings { get; } = new();

    public int RowCount => _columns.Count == 0 ? 0 : _columns[0].Count;

    public int ColumnCount => _columns.Count;

    public void AddColumn(Column column)
    {
        if (_columns.Count > 0 && column.Count != RowCount)
            throw new ArgumentException($"column '{column.Name}' has {column.Count} rows, the table has {RowCount}");
        _columns.Add(column);
    }

    public void InsertColumn(int index, Column column)
    {
        if (_columns.Count > 0 && column.Count != RowCount)
            throw new ArgumentException($"column '{column.Name}' has {column.Count} rows, the table has {RowCount}");
        _columns.Insert(index, column);
    }

    public void ReplaceColumn(int index, Column column)
    {
        if (column.Count != RowCount)
            throw new ArgumentException($"column '{column.Name}' has {column.Count} rows, the table has {RowCount}");
        _columns[index] = column;
    }

    public void RemoveColumn(int index) => _columns.RemoveAt(index);

    /// <summary>The column named <paramref name="name"/>: an exact match first, then ignoring case.</summary>
    public Column? FindColumn(string name) =>
        _columns.FirstOrDefault(c => c.Name == name)
        ?? _columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

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

    public override string ToString() => $"{Name ?? "(unnamed)"}: {RowCount} rows × {ColumnCount} columns";
}

/// <summary>A warning about a table, with how often it happened.</summary>
public sealed record TableWarning(string Code, string Message, int Count);

/// <summary>De-duplicating, counting collection of warnings (same code and message = one entry).</summary>
public sealed class TableWarnings
{
    private readonly Dictionary<(string, string), int> _counts = [];
    private readonly List<(string Code, string Message)> _order = [];

    public void Add(string code, string message)
    {
        var key = (code, message);
        if (_counts.TryGetValue(key, out var n)) _counts[key] = n + 1;
        else { _counts[key] = 1; _order.Add(key); }
    }

    public int Count => _order.Count;

    public IEnumerable<TableWarning> All => _order.Select(k => new TableWarning(k.Code, k.Message, _counts[k]));

    public void AddRange(TableWarnings other)
    {
        foreach (var w in other.All)
            for (var i = 0; i < w.Count; i++) Add(w.Code, w.Message);
    }
}

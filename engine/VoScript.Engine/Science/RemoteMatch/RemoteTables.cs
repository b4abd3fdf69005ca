using VoScript.Engine.Protocols.Http;
using VoScript.Engine.Science.Sky;
using VoScript.Engine.Model;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Protocols.Tap;

namespace VoScript.Engine.Science.RemoteMatch;

/// <summary>A table of a TAP service as its metadata describes it: its columns (name, type, unit, UCD).</summary>
internal sealed record RemoteTable(string Name, IReadOnlyList<Field> Fields)
{
    /// <summary>Columns whose names the metadata gives delimited (<c>"2MASS"</c>): ADQL must quote them.</summary>
    public IReadOnlySet<string> Delimited { get; init; } = new HashSet<string>();

    /// <summary>A column's name as ADQL must write it.</summary>
    public string Adql(Field f) => Delimited.Contains(f.Name) ? RemoteMatchAdql.Quote(f.Name) : RemoteMatchAdql.Identifier(f.Name);

    /// <summary>The field named <paramref name="name"/> (exact, then ignoring case).</summary>
    public Field? Find(string name) =>
        Fields.FirstOrDefault(f => f.Name == name) ?? Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The position columns: the ones named (checked against the metadata), else found as <c>cluster</c> finds them in a
    /// table (<see cref="Positions.Find"/>: UCDs with meta.main, other pos.eq UCDs and UCD1 words, then common names).
    /// </summary>
    public (Field Ra, Field Dec) PositionColumns(string? ra, string? dec, string service)
    {
        if (ra is not null && dec is not null) return (Named(ra, service), Named(dec, service));
        var empty = new Table(Name);
        foreach (var f in Fields) empty.AddColumn(RemotePairs.EmptyColumn(f));
        var found = Positions.Find(empty) ?? throw new VoScriptException(
            $"{service}: no position columns found in '{Name}' (no pos.eq.ra/pos.eq.dec UCDs, no column named like ra and dec); " +
            "say which they are with 'positions RA_COLUMN, DEC_COLUMN'");
        return (Find(found.Ra.Name)!, Find(found.Dec.Name)!);
    }

    /// <summary>The field named <paramref name="name"/>, or an error with the closest names.</summary>
    public Field Named(string name, string service) =>
        Find(name) ?? throw new VoScriptException(
            $"{service}: '{Name}' has no column {ScriptNames.Mention(name, NamePlace.ColumnList)}{ScriptNames.DidYouMean(name, Fields.Select(f => f.Name), NamePlace.ColumnList)}");
}

/// <summary>Reads a remote table's columns: TAP_SCHEMA.columns first (one small query), the VOSI tableset when that fails.</summary>
internal static class RemoteTables
{
    public static async Task<RemoteTable> DescribeAsync(TapService tap, string table, string service, CancellationToken ct)
    {
        Exception? schemaFailure = null;
        try
        {
            var q = new TapQuery($"SELECT column_name, datatype, unit, ucd FROM TAP_SCHEMA.columns WHERE table_name = '{table.Replace("'", "''", StringComparison.Ordinal)}'");
            var r = await tap.QueryAsync(q, ct).ConfigureAwait(false);
            if (r.Table.RowCount > 0) return FromSchema(table, r.Table);
        }
        catch (ServiceException e)
        {
            schemaFailure = e;
        }
        VosiTableSet set;
        try
        {
            set = await tap.GetTablesAsync(ct).ConfigureAwait(false);
        }
        catch (ServiceException e)
        {
            throw new VoScriptException($"{service}: cannot read the columns of '{table}': TAP_SCHEMA " +
                (schemaFailure is null ? "does not list it" : "failed") + $" and the VOSI tables failed: {e.Summary}");
        }
        var t = set.Find(table) ?? throw new VoScriptException(
            $"{service}: the service has no table '{table}'{Suggestions.DidYouMean(table, set.Tables.Select(x => x.Name))}");
        return Make(t.Name, t.Columns.Select(c => (c.Name, c.DataType, c.ArraySize, c.Unit, c.Ucd)));
    }

    private static RemoteTable FromSchema(string table, Table rows)
    {
        string? Cell(string col, int i) => rows.FindColumn(col) is { } c && !c.IsNull(i) ? c.FormatCell(i) : null;
        var columns = new List<(string, string?, string?, string?, string?)>();
        for (var i = 0; i < rows.RowCount; i++)
            if (Cell("column_name", i) is { Length: > 0 } name)
                columns.Add((name, Cell("datatype", i), null, Cell("unit", i), Cell("ucd", i)));
        return Make(table, columns);
    }

    /// <summary>The table from its columns' metadata; delimited names (<c>"2MASS"</c>) lose their quotes and are remembered.</summary>
    internal static RemoteTable Make(string table, IEnumerable<(string Name, string? DataType, string? ArraySize, string? Unit, string? Ucd)> columns)
    {
        var fields = new List<Field>();
        var delimited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, dataType, arraySize, unit, ucd) in columns)
        {
            var plain = name;
            if (name.Length >= 2 && name[0] == '"' && name[^1] == '"')
            {
                plain = name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
                delimited.Add(plain);
            }
            fields.Add(MakeField(plain, dataType, arraySize, unit, ucd));
        }
        return new RemoteTable(table, fields) { Delimited = delimited };
    }

    /// <summary>A field from TAP_SCHEMA/VODataService metadata (VOTable or ADQL type names, with or without a prefix).</summary>
    internal static Field MakeField(string name, string? dataType, string? arraySize, string? unit, string? ucd)
    {
        var t = (dataType ?? "").Trim().ToLowerInvariant();
        var colon = t.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0) t = t[(colon + 1)..];
        var type = t switch
        {
            "char" or "unicodechar" or "varchar" or "clob" or "timestamp" or "string" => DataType.Char,
            "boolean" => DataType.Boolean,
            "short" or "smallint" => DataType.Short,
            "int" or "integer" => DataType.Int,
            "long" or "bigint" => DataType.Long,
            "float" or "real" => DataType.Float,
            _ => DataType.Double,
        };
        var field = type == DataType.Char
            ? new Field(name, type, ArraySize.TryParse(arraySize, out var size) && size.FixedDimensions.Count + (size.IsVariable ? 1 : 0) == 1 ? size : ArraySize.Variable)
            : new Field(name, type);
        field.Unit = string.IsNullOrWhiteSpace(unit) ? null : unit.Trim();
        field.Ucd = string.IsNullOrWhiteSpace(ucd) ? null : ucd.Trim();
        return field;
    }
}

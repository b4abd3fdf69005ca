using System.Text.RegularExpressions;
using VoScript.Engine.Model;

namespace VoScript.Server.Tap;

/// <summary>A schema the service describes: its name and description.</summary>
internal sealed record ServedSchema(string Name, string? Description);

/// <summary>
/// Builds the TAP 1.1 TAP_SCHEMA tables (schemas, tables, columns, keys, key_columns) describing the
/// served tables and TAP_SCHEMA itself, so that ADQL can query them like any other table.
/// </summary>
internal static partial class TapSchema
{
    public const string SchemaName = "TAP_SCHEMA";

    /// <summary>Schemas whose columns are standard (TAP_SCHEMA, ivoa): their columns get std=1.</summary>
    private static bool IsStandardSchema(string schema) =>
        schema.Equals(SchemaName, StringComparison.OrdinalIgnoreCase) || schema.Equals("ivoa", StringComparison.OrdinalIgnoreCase);

    private static Field Text(string name, string ucd, string description) =>
        new(name, DataType.Char, ArraySize.Variable) { Ucd = ucd, Description = description };

    private static Field Int(string name, string ucd, string description) =>
        new(name, DataType.Int) { Ucd = ucd, Description = description };

    /// <summary>The TAP_SCHEMA tables' columns, in TAP 1.1 order.</summary>
    public static readonly IReadOnlyList<(string Name, string Description, Field[] Fields)> Definitions =
    [
        ("schemas", "Schemas of this service",
        [
            Text("schema_name", "meta.id", "Schema name for reference to TAP_SCHEMA.schemas"),
            Text("utype", "meta.utype", "Data model element this schema represents"),
            Text("description", "meta.note", "Brief description of the schema"),
            Int("schema_index", "meta.number", "Recommended sort order when listing schemas"),
        ]),
        ("tables", "Tables of this service",
        [
            Text("schema_name", "meta.id", "The schema this table belongs to"),
            Text("table_name", "meta.id;meta.main", "Fully qualified table name"),
            Text("table_type", "meta.code", "One of: table, view"),
            Text("utype", "meta.utype", "Data model element this table represents"),
            Text("description", "meta.note", "Brief description of the table"),
            Int("table_index", "meta.number", "Recommended sort order when listing tables"),
        ]),
        ("columns", "Columns of the tables of this service",
        [
            Text("table_name", "meta.id", "Fully qualified name of the table the column is in"),
            Text("column_name", "meta.id;meta.main", "Column name"),
            Text("datatype", "meta.code", "VOTable datatype of the column"),
            Text("arraysize", "meta.code", "VOTable arraysize of the column"),
            Text("xtype", "meta.code", "VOTable xtype of the column"),
            Int("size", "meta.number", "Length of fixed-size arrays (deprecated; see arraysize)"),
            Text("description", "meta.note", "Brief description of the column"),
            Text("utype", "meta.utype", "Data model element this column represents"),
            Text("unit", "meta.unit", "Unit in VO standard format"),
            Text("ucd", "meta.ucd", "UCD of the column"),
            Int("indexed", "meta.code", "1 if the column is indexed, else 0"),
            Int("principal", "meta.code", "1 if the column is of principal interest, else 0"),
            Int("std", "meta.code", "1 if the column is defined by a standard, else 0"),
            Int("column_index", "meta.number", "Recommended sort order when listing columns"),
        ]),
        ("keys", "Foreign keys between the tables of this service",
        [
            Text("key_id", "meta.id", "Unique key identifier"),
            Text("from_table", "meta.id", "Fully qualified table name"),
            Text("target_table", "meta.id", "Fully qualified table name"),
            Text("description", "meta.note", "Description of this key"),
            Text("utype", "meta.utype", "Utype of this key"),
        ]),
        ("key_columns", "Columns of the foreign keys of this service",
        [
            Text("key_id", "meta.id", "Key identifier from TAP_SCHEMA.keys"),
            Text("from_column", "meta.id", "Key column name in the from_table"),
            Text("target_column", "meta.id", "Key column name in the target_table"),
        ]),
    ];

    /// <summary>A foreign key: from a table's columns to another table's.</summary>
    public sealed record ForeignKey(string KeyId, string FromTable, string TargetTable, string Description, IReadOnlyList<(string From, string Target)> Columns);

    /// <summary>The foreign keys between the TAP_SCHEMA tables (TAP 1.1 §4); the served tables declare none.</summary>
    public static readonly IReadOnlyList<ForeignKey> Keys =
    [
        new("TAP_SCHEMA.tables_schema", "TAP_SCHEMA.tables", "TAP_SCHEMA.schemas", "The schema of a table", [("schema_name", "schema_name")]),
        new("TAP_SCHEMA.columns_table", "TAP_SCHEMA.columns", "TAP_SCHEMA.tables", "The table of a column", [("table_name", "table_name")]),
        new("TAP_SCHEMA.keys_from", "TAP_SCHEMA.keys", "TAP_SCHEMA.tables", "The table a key comes from", [("from_table", "table_name")]),
        new("TAP_SCHEMA.keys_target", "TAP_SCHEMA.keys", "TAP_SCHEMA.tables", "The table a key points to", [("target_table", "table_name")]),
        new("TAP_SCHEMA.key_columns_key", "TAP_SCHEMA.key_columns", "TAP_SCHEMA.keys", "The key of a key column", [("key_id", "key_id")]),
    ];

    /// <summary>The foreign keys of <paramref name="t"/>.</summary>
    public static IEnumerable<ForeignKey> KeysFrom(StoredTable t) =>
        Keys.Where(k => k.FromTable.Equals(QualifiedName(t), StringComparison.OrdinalIgnoreCase));

    /// <summary>The TAP_SCHEMA tables as the service will describe them, before they are loaded.</summary>
    public static IEnumerable<StoredTable> Describe() =>
        Definitions.Select(d => new StoredTable(SchemaName, d.Name, d.Fields, 0, d.Description));

    /// <summary>Builds the five tables for <paramref name="tables"/> (which should include <see cref="Describe"/>).</summary>
    public static IReadOnlyList<(string Name, Table Table)> Build(IReadOnlyList<ServedSchema> schemas, IReadOnlyList<StoredTable> tables)
    {
        var result = new List<(string, Table)>();
        var defs = Definitions.ToDictionary(d => d.Name, d => d.Fields);

        var rowsSchemas = schemas.Select((s, i) => new object?[] { s.Name, null, s.Description, i }).ToList();
        result.Add(("schemas", Make("schemas", defs["schemas"], rowsSchemas)));

        var rowsTables = tables.Select((t, i) => new object?[] { t.Schema, QualifiedName(t), "table", null, t.Description, i }).ToList();
        result.Add(("tables", Make("tables", defs["tables"], rowsTables)));

        var rowsColumns = new List<object?[]>();
        foreach (var t in tables)
        {
            var std = IsStandardSchema(t.Schema) ? 1 : 0;
            for (var i = 0; i < t.Fields.Count; i++)
            {
                var f = t.Fields[i];
                var arraysize = f.ArraySize.IsScalar ? null : f.ArraySize.ToString();
                int? size = f.ArraySize.FixedLength is { } n && !f.ArraySize.IsScalar ? n : null;
                rowsColumns.Add([QualifiedName(t), ColumnName(f.Name), f.DataType.VOTableName(), arraysize, f.XType, size,
                    f.Description, f.Utype, f.Unit, f.Ucd, 0, 1, std, i]);
            }
        }
        result.Add(("columns", Make("columns", defs["columns"], rowsColumns)));
        var keys = tables.SelectMany(KeysFrom).ToList();
        result.Add(("keys", Make("keys", defs["keys"], keys.Select(k => new object?[] { k.KeyId, k.FromTable, k.TargetTable, k.Description, null }).ToList())));
        result.Add(("key_columns", Make("key_columns", defs["key_columns"],
            keys.SelectMany(k => k.Columns.Select(c => new object?[] { k.KeyId, c.From, c.Target })).ToList())));
        return result;
    }

    public static string QualifiedName(StoredTable t) => t.Schema + "." + t.Name;

    /// <summary>A column name as ADQL needs it: regular identifiers as they are, others (and <c>size</c>, which TAP 1.1 names delimited) as "…".</summary>
    public static string ColumnName(string name) =>
        (RegularIdentifier().IsMatch(name) && !name.Equals("size", StringComparison.OrdinalIgnoreCase)) || (name.StartsWith('"') && name.EndsWith('"') && name.Length > 1) ? name : "\"" + name.Replace("\"", "\"\"") + "\"";

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex RegularIdentifier();

    private static Table Make(string name, Field[] fields, List<object?[]> rows)
    {
        var t = new Table(name);
        for (var c = 0; c < fields.Length; c++)
        {
            var f = fields[c].Clone();
            if (f.DataType == DataType.Int)
            {
                var values = new int[rows.Count];
                NullMask? nulls = null;
                for (var r = 0; r < rows.Count; r++)
                {
                    if (rows[r][c] is int v) values[r] = v;
                    else (nulls ??= new NullMask(rows.Count)).Set(r);
                }
                t.AddColumn(new ScalarColumn<int>(f, values, nulls));
            }
            else
            {
                t.AddColumn(new StringColumn(f, rows.Select(r => (string?)r[c]).ToArray()));
            }
        }
        return t;
    }
}

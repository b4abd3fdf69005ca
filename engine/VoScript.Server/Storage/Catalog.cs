using VoScript.Engine.Model;

namespace VoScript.Server.Storage;

/// <summary>How a column is kept in the database.</summary>
internal enum StorageKind
{
    /// <summary>A native column of the matching SQL type.</summary>
    Native,
    /// <summary>Array or complex cells, kept as their TABLEDATA text and decoded again for results.</summary>
    Text,
}

/// <summary>One column of a table in the database: its metadata and its SQL name.</summary>
internal sealed record DbColumn(Field Field, string SqlName, StorageKind Kind);

/// <summary>A table in the database as the ADQL translator sees it.</summary>
internal sealed record DbTable(string Schema, string Name, string SqlName, IReadOnlyList<DbColumn> Columns, long Rows, string? Description)
{
    /// <summary>A view over an attached cache database (<c>serve --cache</c>), not a table of its own.</summary>
    public bool Cached { get; init; }

    public StoredTable ToStoredTable() => new(Schema, Name, Columns.Select(c => c.Field).ToList(), Rows, Description);
}

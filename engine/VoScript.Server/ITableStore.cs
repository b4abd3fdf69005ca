using VoScript.Engine.Tables;

namespace VoScript.Server;

/// <summary>
/// The embedded database behind <c>voscript serve</c>: holds the served tables and
/// answers ADQL. The TAP layer (HTTP, UWS, VOSI, TAP_SCHEMA) talks only to this.
/// </summary>
internal interface ITableStore : IAsyncDisposable
{
    /// <summary>Loads <paramref name="table"/> as <c>SCHEMA.NAME</c> (replacing one of that name). Field metadata is kept for results.</summary>
    Task LoadAsync(string schema, string name, Table table, CancellationToken cancellationToken = default);

    /// <summary>The tables loaded so far, in load order.</summary>
    IReadOnlyList<StoredTable> Tables { get; }

    /// <summary>
    /// Runs one ADQL query. <paramref name="uploads"/> are visible as <c>TAP_UPLOAD.&lt;key&gt;</c>
    /// to this query only. At most <paramref name="maxRecords"/> rows come back; <see cref="QueryResult.Overflow"/>
    /// says whether there were more.
    /// </summary>
    /// <exception cref="AdqlException">the query cannot be parsed, names an unknown table or column, or uses a construct that is not supported.</exception>
    Task<QueryResult> ExecuteAsync(string adql, IReadOnlyDictionary<string, Table> uploads, long maxRecords, CancellationToken cancellationToken = default);
}

/// <summary>A served table: where it is, its columns (with units, UCDs, descriptions) and its size.</summary>
internal sealed record StoredTable(string Schema, string Name, IReadOnlyList<Field> Fields, long Rows, string? Description);

/// <summary>A query's rows (fields carry the metadata of the columns they come from) and whether MAXREC cut them.</summary>
internal sealed record QueryResult(Table Table, bool Overflow);

/// <summary>A query the service refuses: the message names the construct, the position is 1-based in the ADQL text.</summary>
internal sealed class AdqlException(string message, int line, int column) : Exception(message)
{
    public int Line { get; } = line;
    public int Column { get; } = column;
}

using VoScript.Engine.Tables;

namespace VoScript.Engine.VOTable;

/// <summary>How the rows of a VOTable are serialized.</summary>
internal enum VOTableSerialization
{
    TableData,
    Binary,
    Binary2,
}

/// <summary>Options for reading a VOTable.</summary>
internal sealed class VOTableReadOptions
{
    /// <summary>Which table to read, counting every TABLE in document order from 0.</summary>
    public int TableIndex { get; init; }

    /// <summary>Read the table with this name or ID instead of <see cref="TableIndex"/>.</summary>
    public string? TableName { get; init; }

    /// <summary>Turn lenient repairs (unknown datatype names, char without arraysize, …) into errors.</summary>
    public bool Strict { get; init; }

    /// <summary>Maximum XML element depth.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Maximum characters in one TABLEDATA cell or bytes in one BINARY cell.</summary>
    public int MaxCellLength { get; init; } = 64 * 1024 * 1024;

    /// <summary>Where relative <c>file:</c> STREAM hrefs are resolved from.</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>Client for <c>http(s):</c> STREAM hrefs; none means such hrefs are refused.</summary>
    public HttpClient? Http { get; init; }
}

/// <summary>Options for writing a VOTable.</summary>
internal sealed class VOTableWriteOptions
{
    public VOTableSerialization Serialization { get; init; } = VOTableSerialization.Binary2;

    /// <summary>"1.4" (default) or "1.5".</summary>
    public string Version { get; init; } = "1.4";

    /// <summary>Write the metadata only, with no DATA element (FITS-plus keeps it in a FITS primary HDU).</summary>
    public bool MetadataOnly { get; init; }
}

/// <summary>A malformed VOTable: the message says where (line and column, or row and field) and what.</summary>
internal sealed class VOTableFormatException : VoScriptException
{
    public VOTableFormatException(string message, int? line = null, int? column = null, long? row = null, string? field = null, Exception? inner = null)
        : base(message, inner ?? new InvalidOperationException(message))
    {
        Line = line;
        Column = column;
        Row = row;
        FieldName = field;
    }

    public int? Line { get; }
    public int? Column { get; }
    /// <summary>1-based data row, when the error is in the data.</summary>
    public long? Row { get; }
    public string? FieldName { get; }
}

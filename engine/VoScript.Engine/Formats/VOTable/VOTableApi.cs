using VoScript.Engine.Model;
using VoScript.Hosting;
using VoScript.Engine;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>How the rows of a VOTable are serialized.</summary>
public enum VOTableSerialization
{
    /// <summary>TABLEDATA: XML elements per cell.</summary>
    TableData,
    /// <summary>BINARY: base64 of the binary rows.</summary>
    Binary,
    /// <summary>BINARY2: BINARY with a null mask per row.</summary>
    Binary2,
}

/// <summary>Options for reading a VOTable.</summary>
public sealed record VOTableReadOptions
{
    /// <summary>Which table to read, counting every TABLE in document order from 0.</summary>
    public int TableIndex { get; init; }

    /// <summary>Read the table with this name or ID instead of <see cref="TableIndex"/>.</summary>
    public string? TableName { get; init; }

    /// <summary>Turn lenient repairs (unknown datatype names, char without arraysize, …) into errors.</summary>
    public bool Strict { get; init; }

    /// <summary>Every size, depth and count limit of the reader (<see cref="ReaderLimits"/>).</summary>
    public ReaderLimits Limits { get; init; } = ReaderLimits.Default;

    /// <summary>Maximum XML element depth (<see cref="ReaderLimits.MaxDepth"/>).</summary>
    public int MaxDepth { get => Limits.MaxDepth; init => Limits = Limits with { MaxDepth = value }; }

    /// <summary>Maximum characters in one TABLEDATA cell or bytes in one BINARY cell (<see cref="ReaderLimits.MaxCellLength"/>).</summary>
    public int MaxCellLength { get => Limits.MaxCellLength; init => Limits = Limits with { MaxCellLength = value }; }

    /// <summary>
    /// The folder of the file being read. <c>file:</c> and relative STREAM hrefs are followed only when it is set
    /// (and <see cref="ReaderLimits.FollowFileHrefs"/> allows it), and only to files in it or below it.
    /// Null (a document from the network or a stream) refuses them.
    /// </summary>
    public string? BaseDirectory { get; init; }

    /// <summary>Client for <c>http(s):</c> STREAM hrefs; none means such hrefs are refused.</summary>
    public HttpClient? Http { get; init; }
}

/// <summary>Options for writing a VOTable.</summary>
public sealed class VOTableWriteOptions
{
    /// <summary>The serialization of the data (BINARY2 by default).</summary>
    public VOTableSerialization Serialization { get; init; } = VOTableSerialization.Binary2;

    /// <summary>"1.4" (default) or "1.5".</summary>
    public string Version { get; init; } = "1.4";

    /// <summary>Write the metadata only, with no DATA element (FITS-plus keeps it in a FITS primary HDU).</summary>
    public bool MetadataOnly { get; init; }
}

/// <summary>A malformed VOTable: the message says where (line and column, or row and field) and what.</summary>
public sealed class VOTableFormatException : VoScriptException
{
    /// <summary>A malformed VOTable, with where it was found.</summary>
    public VOTableFormatException(string message, int? line = null, int? column = null, long? row = null, string? field = null, Exception? inner = null)
        : base(message, inner ?? new InvalidOperationException(message))
    {
        Line = line;
        Column = column;
        Row = row;
        FieldName = field;
    }

    /// <summary>The line in the document, if known.</summary>
    public int? Line { get; }
    /// <summary>The column in the line, if known.</summary>
    public int? Column { get; }
    /// <summary>1-based data row, when the error is in the data.</summary>
    public long? Row { get; }
    /// <summary>The FIELD being read, if known.</summary>
    public string? FieldName { get; }
}

namespace VoScript.Adql;

/// <summary>A query that is not ADQL, or that the service refuses: the message names the construct, the position is 1-based in the ADQL text.</summary>
public sealed class AdqlException(string message, int line, int column) : Exception(message)
{
    /// <summary>The 1-based line of the construct.</summary>
    public int Line { get; } = line;

    /// <summary>The 1-based column of the construct.</summary>
    public int Column { get; } = column;
}

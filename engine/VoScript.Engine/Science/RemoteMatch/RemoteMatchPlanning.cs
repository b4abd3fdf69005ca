using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using VoScript.Engine.Model.Units;
using VoScript.Engine.Protocols.Tap;

namespace VoScript.Engine.Science.RemoteMatch;

/// <summary>Which pairs a remote match keeps.</summary>
public enum RemoteMatchMode
{
    /// <summary><c>best for T</c> (STILTS tapskymatch find=best): the nearest remote row for each row of T.</summary>
    BestForTable,
    /// <summary><c>all</c> (find=all): every pair within the angle.</summary>
    All,
}

/// <summary>A run of consecutive upload rows (indexes into the list of T's rows that have positions).</summary>
internal readonly record struct UploadBlock(int Start, int Count)
{
    public int End => Start + Count;

    /// <summary>The two halves of a block of at least two rows (the first gets the smaller half when the count is odd).</summary>
    public (UploadBlock First, UploadBlock Second) Split()
    {
        if (Count < 2) throw new InvalidOperationException("a block of one row cannot be split");
        var half = Count / 2;
        return (new UploadBlock(Start, half), new UploadBlock(Start + half, Count - half));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"rows {Start + 1}-{End}");
}

/// <summary>How many rows a block uploads, the MAXREC asked of each block, and why.</summary>
internal sealed record BlockSizing(int Size, long? MaxRec, string Reason);

/// <summary>
/// Cuts an upload into blocks: the block size from the service's TAPRegExt limits (upload limit in rows or bytes,
/// output limit) or the script's <c>block N</c>, the STILTS tapskymatch default (5000 rows) otherwise.
/// </summary>
internal static class BlockPlanner
{
    /// <summary>STILTS tapskymatch's default block size.</summary>
    public const int DefaultBlockSize = 5000;

    /// <summary>
    /// Upper estimate of one upload row as VOTable TABLEDATA (a long and two doubles written round-trip, with their
    /// TR/TD tags and indentation: about 80 bytes), used against an upload limit in bytes.
    /// </summary>
    public const int UploadBytesPerRow = 100;

    /// <summary>The VOTable header, the query and the multipart framing around the rows.</summary>
    public const int UploadOverheadBytes = 8 * 1024;

    /// <summary>The block size and MAXREC for a service with these limits (null: not declared).</summary>
    public static BlockSizing Size(int? requested, TapLimit? upload, TapLimit? output)
    {
        long? maxRec = output is null ? null : output.Hard ?? output.Default;
        if (output?.Unit is { } ou && !ou.Equals("row", StringComparison.OrdinalIgnoreCase)) maxRec = null;
        long? uploadRows = null;
        string? uploadWhy = null;
        if (upload is not null && (upload.Hard ?? upload.Default) is { } limit && limit > 0)
        {
            if (string.Equals(upload.Unit, "row", StringComparison.OrdinalIgnoreCase))
            {
                uploadRows = limit;
                uploadWhy = Inv($"the service's upload limit of {limit} rows");
            }
            else
            {
                uploadRows = Math.Max(1, (limit - UploadOverheadBytes) / UploadBytesPerRow);
                uploadWhy = Inv($"the service's upload limit of {limit} bytes, at most {UploadBytesPerRow} bytes a row");
            }
        }
        if (requested is { } asked)
        {
            if (asked < 1) throw new VoScriptException(Inv($"the block size must be at least 1 row, not {asked}"));
            if (uploadRows is { } cap && asked > cap)
                return new BlockSizing((int)cap, maxRec, Inv($"{cap} rows: block {asked} was asked, but {uploadWhy}"));
            return new BlockSizing(asked, maxRec, Inv($"{asked} rows, as the script asks"));
        }
        var size = (long)DefaultBlockSize;
        var why = Inv($"{DefaultBlockSize} rows, tapskymatch's default");
        if (uploadRows is { } u && u < size) { size = u; why = Inv($"{u} rows, from {uploadWhy}"); }
        if (maxRec is { } m && m > 0 && m < size) { size = m; why = Inv($"{m} rows, the service's output limit (MAXREC {m})"); }
        return new BlockSizing((int)Math.Max(1, size), maxRec, why);
    }

    /// <summary>Blocks of at most <paramref name="size"/> rows covering <paramref name="rows"/> upload rows, in order.</summary>
    public static List<UploadBlock> Cut(int rows, int size)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size));
        var blocks = new List<UploadBlock>((rows + size - 1) / size);
        for (var start = 0; start < rows; start += size) blocks.Add(new UploadBlock(start, Math.Min(size, rows - start)));
        return blocks;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The ADQL of one block: the uploaded positions joined to the remote table within a circle.</summary>
internal static partial class RemoteMatchAdql
{
    /// <summary>The upload's name (the query reads it as <c>TAP_UPLOAD.vos_block</c>).</summary>
    public const string UploadName = "vos_block";
    /// <summary>Upload column: the row of T (from 0).</summary>
    public const string RowColumn = "vos_row";
    /// <summary>Upload columns: T's position in degrees.</summary>
    public const string RaColumn = "vos_ra", DecColumn = "vos_dec";
    /// <summary>Result columns: the remote row's position as the service stores it.</summary>
    public const string RemoteRaColumn = "vos_rra", RemoteDecColumn = "vos_rdec";

    /// <summary>
    /// Added to the radius asked of the service (degrees, 3.6 µas): the service's own distance arithmetic may differ from
    /// ours in the last bits, so it is asked for a little more and the pairs are cut at the exact radius here.
    /// </summary>
    public const double RadiusPadding = 1e-9;

    /// <summary>
    /// <c>SELECT u.vos_row, t.cols…, t.RA AS vos_rra, t.DEC AS vos_rdec FROM TAP_UPLOAD.vos_block AS u JOIN TABLE AS t
    /// ON 1=CONTAINS(POINT('ICRS', t.RA, t.DEC), CIRCLE('ICRS', u.vos_ra, u.vos_dec, R))</c>; with <paramref name="nearestOnly"/>
    /// the nearest row only (<c>TOP 1 … ORDER BY DISTANCE</c>), for a one-row block whose pairs overflow in <c>best</c> mode.
    /// </summary>
    /// <remarks>Column names come as ADQL writes them (<see cref="Identifier"/>, <see cref="RemoteTable.Adql"/>).</remarks>
    public static string Block(string remoteTable, IReadOnlyList<string>? columns, string ra, string dec, double radiusDegrees, bool nearestOnly = false)
    {
        var sb = new StringBuilder("SELECT ");
        if (nearestOnly) sb.Append("TOP 1 ");
        sb.Append("u.").Append(RowColumn).Append(", ");
        if (columns is null) sb.Append("t.*");
        else sb.AppendJoin(", ", columns.Select(c => "t." + c));
        sb.Append(", t.").Append(ra).Append(" AS ").Append(RemoteRaColumn)
          .Append(", t.").Append(dec).Append(" AS ").Append(RemoteDecColumn);
        sb.Append("\nFROM TAP_UPLOAD.").Append(UploadName).Append(" AS u JOIN ").Append(remoteTable).Append(" AS t");
        sb.Append("\n  ON 1=CONTAINS(POINT('ICRS', t.").Append(ra).Append(", t.").Append(dec).Append("), CIRCLE('ICRS', u.")
          .Append(RaColumn).Append(", u.").Append(DecColumn).Append(", ").Append(Number(radiusDegrees + RadiusPadding)).Append("))");
        if (nearestOnly)
            sb.Append("\nORDER BY DISTANCE(POINT('ICRS', t.").Append(ra).Append(", t.").Append(dec)
              .Append("), POINT('ICRS', u.").Append(RaColumn).Append(", u.").Append(DecColumn).Append(")) ASC");
        return sb.ToString();
    }

    /// <summary>A number as an ADQL literal without exponent (15 decimals: far below the padding).</summary>
    public static string Number(double v) => v.ToString("0.0##############", CultureInfo.InvariantCulture);

    /// <summary>A column name as ADQL: as it is when it is a regular identifier and not reserved, else delimited (case then matters).</summary>
    public static string Identifier(string name) => RegularName().IsMatch(name) && !Reserved.Contains(name) ? name : Quote(name);

    /// <summary>A delimited identifier.</summary>
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex RegularName();

    // ADQL 2.1 §2.1.3 reserved words that also make plausible column names, and the SQL words most often met.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "ABS", "ACOS", "AREA", "ASIN", "ATAN", "ATAN2", "BOX", "CEILING", "CENTROID", "CIRCLE", "CONTAINS", "COORD1", "COORD2", "COORDSYS",
        "COS", "COT", "DEGREES", "DISTANCE", "EXP", "FLOOR", "INTERSECTS", "LOG", "LOG10", "MOD", "PI", "POINT", "POLYGON", "POWER",
        "RADIANS", "REGION", "RAND", "ROUND", "SIN", "SQRT", "TAN", "TOP", "TRUNCATE",
        "ALL", "AND", "ANY", "AS", "ASC", "AVG", "BETWEEN", "BY", "CASE", "CAST", "CHAR", "COUNT", "CROSS", "DATE", "DAY", "DEFAULT",
        "DESC", "DISTINCT", "ELSE", "END", "EXISTS", "FALSE", "FIRST", "FOR", "FROM", "FULL", "GROUP", "HAVING", "HOUR", "IN", "INNER", "INTO",
        "IS", "JOIN", "KEY", "LAST", "LEFT", "LIKE", "LOWER", "MAX", "MIN", "MINUTE", "MONTH", "NATURAL", "NOT", "NULL", "OF", "OFFSET", "ON",
        "OR", "ORDER", "OUTER", "POSITION", "RIGHT", "SECOND", "SELECT", "SIZE", "SUM", "TABLE", "THEN", "TIME", "TIMESTAMP", "TO", "TRUE",
        "UNION", "UNKNOWN", "UPPER", "USER", "USING", "VALUE", "VALUES", "WHEN", "WHERE", "WITH", "YEAR", "ZONE",
    };
}

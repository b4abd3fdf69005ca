using System.Xml;
using VoScript.Engine.Model;
using VoScript.Engine.Formats.Csv;
using VoScript.Engine.Formats.VOTable;

namespace VoScript.Server.Tap;

/// <summary>An output format of query results: VOTable (BINARY2, BINARY, TABLEDATA) or CSV.</summary>
internal sealed record ResultFormat(string Mime, string ContentType, VOTableSerialization? Serialization, string? IvoId, IReadOnlyList<string> Aliases)
{
    public const string VOTableMime = "application/x-votable+xml";

    public static readonly ResultFormat Binary2 = new(VOTableMime + ";serialization=BINARY2", VOTableMime, VOTableSerialization.Binary2,
        "ivo://ivoa.net/std/TAPRegExt#output-votable-binary2", ["votable", "votable/b2", "binary2"]);
    public static readonly ResultFormat Binary = new(VOTableMime + ";serialization=BINARY", VOTableMime, VOTableSerialization.Binary,
        "ivo://ivoa.net/std/TAPRegExt#output-votable-binary", ["votable/b", "binary"]);
    public static readonly ResultFormat TableData = new(VOTableMime + ";serialization=TABLEDATA", VOTableMime, VOTableSerialization.TableData,
        "ivo://ivoa.net/std/TAPRegExt#output-votable-td", ["votable/td", "tabledata", "text/xml"]);
    public static readonly ResultFormat Csv = new("text/csv;header=present", "text/csv;header=present", null, null, ["csv", "text/csv"]);

    /// <summary>Every format, in the order the capabilities list them; the first is the default.</summary>
    public static readonly IReadOnlyList<ResultFormat> All = [Binary2, Binary, TableData, Csv];

    public bool IsVOTable => Serialization is not null;

    /// <summary>The format a RESPONSEFORMAT value names (a MIME type with parameters, or a short alias); BINARY2 VOTable when null.</summary>
    public static ResultFormat Parse(string? value)
    {
        if (value is null || value.Trim().Length == 0) return Binary2;
        var v = value.Trim();
        foreach (var f in All)
            if (f.Aliases.Any(a => string.Equals(a, v, StringComparison.OrdinalIgnoreCase))) return f;
        var parts = v.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var mime = parts.Length > 0 ? parts[0].ToLowerInvariant() : "";
        string? Param(string name) => parts.Skip(1).Select(p => p.Split('=', 2)).Where(kv => kv.Length == 2 && string.Equals(kv[0].Trim(), name, StringComparison.OrdinalIgnoreCase))
            .Select(kv => kv[1].Trim().Trim('"')).FirstOrDefault();
        if (mime is VOTableMime or "application/votable+xml" or "text/xml" or "application/xml")
        {
            var ser = Param("serialization");
            if (ser is null) return mime == "text/xml" ? TableData : Binary2;
            return ser.ToUpperInvariant() switch
            {
                "BINARY2" => Binary2,
                "BINARY" => Binary,
                "TABLEDATA" => TableData,
                _ => throw new TapRequestException($"RESPONSEFORMAT={value}: VOTable serialization '{ser}' is not supported; use BINARY2, BINARY or TABLEDATA"),
            };
        }
        if (mime == "text/csv") return Csv;
        throw new TapRequestException($"RESPONSEFORMAT={value} is not supported; use one of votable, votable/b2, votable/b, votable/td, csv (or their MIME types)");
    }

    /// <summary>
    /// A table whose char columns declared <c>arraysize="1"</c> (deprecated by VOTable 1.3 erratum 3; a
    /// single character needs no arraysize) are declared without it; the same table when there are none.
    /// </summary>
    private static Table WithoutCharArraySizeOne(Table t)
    {
        if (!t.Columns.Any(IsCharOne)) return t;
        var copy = t.CopyMetadata();
        var all = Enumerable.Range(0, t.RowCount).ToArray();
        foreach (var c in t.Columns)
        {
            if (!IsCharOne(c)) { copy.AddColumn(c); continue; }
            var f = c.Field.Clone();
            f.ArraySize = ArraySize.Scalar;
            copy.AddColumn(c.Select(all, f));
        }
        return copy;
    }

    private static bool IsCharOne(Column c) =>
        c.Field.DataType.IsText() && c.Field.ArraySize is { IsVariable: false, FixedDimensions: [1] };

    /// <summary>Writes a query result with its QUERY_STATUS INFOs (OK before the table, OVERFLOW after it when MAXREC cut it).</summary>
    public void Write(QueryResult result, Stream stream)
    {
        if (Serialization is { } ser)
        {
            var table = result.Table;
            var resource = new ContainerMeta { Type = "results" };
            resource.Infos.Add(new Info("QUERY_STATUS", "OK"));
            resource.Infos.Add(new Info("standardID", "ivo://ivoa.net/std/TAP"));
            if (result.Overflow)
            {
                resource.TrailingInfosFrom = 2;
                resource.Infos.Add(new Info("QUERY_STATUS", "OVERFLOW"));
            }
            table = WithoutCharArraySizeOne(table);
            var saved = (table.Resource, table.Document);
            table.Resource = resource;
            table.Document = null;
            try
            {
                VOTableWriter.Write(table, stream, new VOTableWriteOptions { Serialization = ser });
            }
            finally
            {
                (table.Resource, table.Document) = saved;
            }
        }
        else
        {
            CsvTableWriter.Write(result.Table, stream);
        }
    }
}

/// <summary>DALI error documents: a VOTable whose results RESOURCE holds <c>INFO name="QUERY_STATUS" value="ERROR"</c> with the message.</summary>
internal static class DaliError
{
    public const string ContentType = "application/x-votable+xml";

    public static void Write(string message, Stream stream)
    {
        using var w = ServiceXml.Open(stream);
        w.WriteStartDocument();
        w.WriteStartElement("VOTABLE", VOTableWriter.Namespace);
        w.WriteAttributeString("version", "1.4");
        w.WriteStartElement("RESOURCE", VOTableWriter.Namespace);
        w.WriteAttributeString("type", "results");
        w.WriteStartElement("INFO", VOTableWriter.Namespace);
        w.WriteAttributeString("name", "QUERY_STATUS");
        w.WriteAttributeString("value", "ERROR");
        w.WriteString(XmlSafe(message));
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    public static byte[] ToBytes(string message)
    {
        using var ms = new MemoryStream();
        Write(message, ms);
        return ms.ToArray();
    }

    /// <summary>Drops characters XML 1.0 cannot carry (a message may quote binary junk from an upload).</summary>
    public static string XmlSafe(string s) =>
        s.All(XmlConvert.IsXmlChar) ? s : new string(s.Where(XmlConvert.IsXmlChar).ToArray());
}

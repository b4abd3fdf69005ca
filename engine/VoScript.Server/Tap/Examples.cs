using System.Xml;

namespace VoScript.Server.Tap;

/// <summary>The DALI examples document (<c>/examples</c>): XHTML with RDFa, two queries per served table.</summary>
internal static class Examples
{
    private const string Xhtml = "http://www.w3.org/1999/xhtml";
    public const string ContentType = "application/xhtml+xml";

    public static void Write(Stream s, IReadOnlyList<StoredTable> tables)
    {
        using var w = ServiceXml.Open(s);
        w.WriteStartDocument();
        w.WriteStartElement("html", Xhtml);
        w.WriteStartElement("head", Xhtml);
        w.WriteElementString("title", Xhtml, "Example queries of this voscript serve service");
        w.WriteEndElement();
        w.WriteStartElement("body", Xhtml);
        w.WriteAttributeString("vocab", "http://www.ivoa.net/rdf/examples#");
        w.WriteElementString("h1", Xhtml, "Example queries");
        var n = 0;
        foreach (var t in tables.Where(t => !t.Schema.Equals(TapSchema.SchemaName, StringComparison.OrdinalIgnoreCase)))
        {
            var name = TapSchema.QualifiedName(t);
            Example(w, $"ex{++n}", $"The first rows of {name}", $"Ten rows of {name}, all columns.", $"SELECT TOP 10 * FROM {name}", name);
            Example(w, $"ex{++n}", $"Rows in {name}", $"How many rows {name} has.", $"SELECT COUNT(*) AS n FROM {name}", name);
        }
        Example(w, $"ex{++n}", "Columns of the served tables", "Names, units and UCDs of all columns, from TAP_SCHEMA.",
            "SELECT table_name, column_name, unit, ucd FROM TAP_SCHEMA.columns ORDER BY table_name, column_index", "TAP_SCHEMA.columns");
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    private static void Example(XmlWriter w, string id, string title, string text, string query, string table)
    {
        w.WriteStartElement("div", Xhtml);
        w.WriteAttributeString("typeof", "example");
        w.WriteAttributeString("id", id);
        w.WriteAttributeString("resource", "#" + id);
        w.WriteStartElement("h2", Xhtml);
        w.WriteAttributeString("property", "name");
        w.WriteString(title);
        w.WriteEndElement();
        w.WriteStartElement("p", Xhtml);
        w.WriteString(text + " Table: ");
        w.WriteStartElement("span", Xhtml);
        w.WriteAttributeString("property", "table");
        w.WriteString(table);
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteStartElement("pre", Xhtml);
        w.WriteAttributeString("property", "query");
        w.WriteString(query);
        w.WriteEndElement();
        w.WriteEndElement();
    }
}

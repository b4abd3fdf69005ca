using System.Globalization;
using VoScript.Engine.Model;
using System.Xml;

namespace VoScript.Server.Tap;

/// <summary>VOSI 1.1 documents of the service: capabilities (with TAPRegExt), availability and tables.</summary>
internal static class Vosi
{
    private const string CapNs = "http://www.ivoa.net/xml/VOSICapabilities/v1.0";
    private const string AvailNs = "http://www.ivoa.net/xml/VOSIAvailability/v1.0";
    private const string TablesNs = "http://www.ivoa.net/xml/VOSITables/v1.0";
    private const string VsNs = "http://www.ivoa.net/xml/VODataService/v1.1";
    private const string VrNs = "http://www.ivoa.net/xml/VOResource/v1.0";
    private const string TrNs = "http://www.ivoa.net/xml/TAPRegExt/v1.0";
    private const string XsiNs = ServiceXml.Xsi;

    /// <summary><c>&lt;name ivo-id="ivoId"&gt;text&lt;/name&gt;</c>, as TAPRegExt names data models and language versions.</summary>
    private static void WithIvoId(XmlWriter w, string name, string ivoId, string text)
    {
        w.WriteStartElement(name);
        w.WriteAttributeString("ivo-id", ivoId);
        w.WriteString(text);
        w.WriteEndElement();
    }

    public static void WriteCapabilities(Stream s, string tapUrl, TapServiceOptions o, bool obsCore)
    {
        using var w = ServiceXml.Open(s);
        w.WriteStartDocument();
        w.WriteStartElement("vosi", "capabilities", CapNs);
        w.WriteAttributeString("xmlns", "xsi", null, XsiNs);
        w.WriteAttributeString("xmlns", "vr", null, VrNs);
        w.WriteAttributeString("xmlns", "vs", null, VsNs);
        w.WriteAttributeString("xmlns", "tr", null, TrNs);

        w.WriteStartElement("capability");
        w.WriteAttributeString("standardID", "ivo://ivoa.net/std/TAP");
        w.WriteAttributeString("xsi", "type", XsiNs, "tr:TableAccess");
        Interface(w, tapUrl, "base", version: "1.1");
        if (obsCore)
        {
            WithIvoId(w, "dataModel", "ivo://ivoa.net/std/ObsCore#core-1.1", "ObsCore-1.1");
        }
        w.WriteStartElement("language");
        w.WriteElementString("name", "ADQL");
        WithIvoId(w, "version", "ivo://ivoa.net/std/ADQL#v2.0", "2.0");
        WithIvoId(w, "version", "ivo://ivoa.net/std/ADQL#v2.1", "2.1");
        w.WriteElementString("description", "ADQL 2.1 (the core, geometry, and the optional features listed) translated to the embedded database");
        foreach (var (type, forms) in AdqlFeatures.Declared)
        {
            w.WriteStartElement("languageFeatures");
            w.WriteAttributeString("type", AdqlFeatures.TypePrefix + type);
            foreach (var form in forms)
            {
                w.WriteStartElement("feature");
                w.WriteElementString("form", form);
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
        foreach (var f in ResultFormat.All)
        {
            w.WriteStartElement("outputFormat");
            if (f.IvoId is not null) w.WriteAttributeString("ivo-id", f.IvoId);
            w.WriteElementString("mime", f.Mime);
            foreach (var a in f.Aliases.Where(a => !a.Contains('/') || a.StartsWith("votable", StringComparison.Ordinal))) w.WriteElementString("alias", a);
            w.WriteEndElement();
        }
        foreach (var m in new[] { "inline", "http", "https" })
        {
            w.WriteStartElement("uploadMethod");
            w.WriteAttributeString("ivo-id", "ivo://ivoa.net/std/TAPRegExt#upload-" + m);
            w.WriteEndElement();
        }
        Limits(w, "retentionPeriod", o.DefaultRetention.TotalSeconds, o.MaxRetention.TotalSeconds, null);
        Limits(w, "executionDuration", o.DefaultExecutionDuration.TotalSeconds, o.MaxExecutionDuration.TotalSeconds, null);
        Limits(w, "outputLimit", o.DefaultMaxRec, o.HardMaxRec, "row");
        w.WriteStartElement("uploadLimit");
        Limit(w, "hard", o.UploadLimitBytes, "byte");
        w.WriteEndElement();
        w.WriteEndElement();

        foreach (var (id, path) in new[] { ("ivo://ivoa.net/std/VOSI#capabilities", "/capabilities"), ("ivo://ivoa.net/std/VOSI#availability", "/availability"), ("ivo://ivoa.net/std/VOSI#tables-1.1", "/tables") })
        {
            w.WriteStartElement("capability");
            w.WriteAttributeString("standardID", id);
            Interface(w, tapUrl + path, "full", version: id.EndsWith("tables-1.1", StringComparison.Ordinal) ? "1.1" : null);
            w.WriteEndElement();
        }
        w.WriteStartElement("capability");
        w.WriteAttributeString("standardID", "ivo://ivoa.net/std/DALI#examples");
        w.WriteStartElement("interface");
        w.WriteAttributeString("xsi", "type", XsiNs, "vr:WebBrowser");
        w.WriteStartElement("accessURL");
        w.WriteAttributeString("use", "full");
        w.WriteString(tapUrl + "/examples");
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    private static void Interface(XmlWriter w, string url, string use, string? version)
    {
        w.WriteStartElement("interface");
        w.WriteAttributeString("xsi", "type", XsiNs, "vs:ParamHTTP");
        w.WriteAttributeString("role", "std");
        if (version is not null) w.WriteAttributeString("version", version);
        w.WriteStartElement("accessURL");
        w.WriteAttributeString("use", use);
        w.WriteString(url);
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void Limits(XmlWriter w, string name, double def, double hard, string? unit)
    {
        w.WriteStartElement(name);
        Limit(w, "default", def, unit);
        Limit(w, "hard", hard, unit);
        w.WriteEndElement();
    }

    private static void Limit(XmlWriter w, string name, double value, string? unit)
    {
        w.WriteStartElement(name);
        if (unit is not null) w.WriteAttributeString("unit", unit);
        w.WriteString(((long)value).ToString(CultureInfo.InvariantCulture));
        w.WriteEndElement();
    }

    public static void WriteAvailability(Stream s, DateTimeOffset upSince)
    {
        using var w = ServiceXml.Open(s);
        w.WriteStartDocument();
        w.WriteStartElement("vosi", "availability", AvailNs);
        w.WriteElementString("vosi", "available", AvailNs, "true");
        w.WriteElementString("vosi", "upSince", AvailNs, UwsXml.FormatTime(upSince));
        w.WriteElementString("vosi", "note", AvailNs, "voscript serve is accepting queries");
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    /// <summary>The tableset; with <paramref name="minimal"/> tables carry no columns (VOSI 1.1 <c>detail=min</c>).</summary>
    public static void WriteTableSet(Stream s, IReadOnlyList<ServedSchema> schemas, IReadOnlyList<StoredTable> tables, bool minimal)
    {
        using var w = ServiceXml.Open(s);
        w.WriteStartDocument();
        w.WriteStartElement("vosi", "tableset", TablesNs);
        w.WriteAttributeString("xmlns", "xsi", null, XsiNs);
        w.WriteAttributeString("xmlns", "vs", null, VsNs);
        foreach (var schema in schemas)
        {
            w.WriteStartElement("schema");
            w.WriteElementString("name", schema.Name);
            if (schema.Description is not null) w.WriteElementString("description", DaliError.XmlSafe(schema.Description));
            foreach (var t in tables.Where(t => t.Schema == schema.Name))
                WriteTable(w, t, minimal, root: false);
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    /// <summary>One table (VOSI 1.1 <c>/tables/NAME</c>).</summary>
    public static void WriteOneTable(Stream s, StoredTable t)
    {
        using var w = ServiceXml.Open(s);
        w.WriteStartDocument();
        WriteTable(w, t, minimal: false, root: true);
        w.WriteEndDocument();
    }

    private static void WriteTable(XmlWriter w, StoredTable t, bool minimal, bool root)
    {
        if (root)
        {
            w.WriteStartElement("vosi", "table", TablesNs);
            w.WriteAttributeString("xmlns", "xsi", null, XsiNs);
            w.WriteAttributeString("xmlns", "vs", null, VsNs);
        }
        else
        {
            w.WriteStartElement("table");
        }
        w.WriteAttributeString("type", "table");
        w.WriteElementString("name", TapSchema.QualifiedName(t));
        if (t.Description is not null) w.WriteElementString("description", DaliError.XmlSafe(t.Description));
        if (!minimal)
        {
            var std = t.Schema.Equals(TapSchema.SchemaName, StringComparison.OrdinalIgnoreCase) || t.Schema.Equals("ivoa", StringComparison.OrdinalIgnoreCase);
            foreach (var f in t.Fields)
            {
                w.WriteStartElement("column");
                w.WriteElementString("name", TapSchema.ColumnName(f.Name));
                if (f.Description is not null) w.WriteElementString("description", DaliError.XmlSafe(f.Description));
                if (f.Unit is not null) w.WriteElementString("unit", f.Unit);
                if (f.Ucd is not null) w.WriteElementString("ucd", f.Ucd);
                if (f.Utype is not null) w.WriteElementString("utype", f.Utype);
                w.WriteStartElement("dataType");
                w.WriteAttributeString("xsi", "type", XsiNs, "vs:VOTableType");
                if (!f.ArraySize.IsScalar) w.WriteAttributeString("arraysize", f.ArraySize.ToString());
                if (f.XType is not null) w.WriteAttributeString("extendedType", f.XType);
                w.WriteString(f.DataType.VOTableName());
                w.WriteEndElement();
                w.WriteElementString("flag", "principal");
                if (std) w.WriteElementString("flag", "std");
                w.WriteEndElement();
            }
            foreach (var k in TapSchema.KeysFrom(t))
            {
                w.WriteStartElement("foreignKey");
                w.WriteElementString("targetTable", k.TargetTable);
                foreach (var (from, target) in k.Columns)
                {
                    w.WriteStartElement("fkColumn");
                    w.WriteElementString("fromColumn", from);
                    w.WriteElementString("targetColumn", target);
                    w.WriteEndElement();
                }
                w.WriteElementString("description", k.Description);
                w.WriteEndElement();
            }
        }
        w.WriteEndElement();
    }
}

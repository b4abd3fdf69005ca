using System.Globalization;
using System.Numerics;
using System.Text;
using System.Xml;
using VoScript.Engine.Model;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>
/// Writes a <see cref="Table"/> as a VOTable document (1.4 by default, BINARY2 by
/// default) with all the metadata it carries. Repairs it must make (invalid IDs,
/// characters XML cannot hold, a null value for BINARY integers) are added to
/// <see cref="Table.Warnings"/>.
/// </summary>
public static partial class VOTableWriter
{
    /// <summary>The VOTable 1.3 XML namespace.</summary>
    public const string Namespace = "http://www.ivoa.net/xml/VOTable/v1.3";

    /// <summary>Writes <paramref name="table"/> as a VOTable to <paramref name="stream"/>.</summary>
    public static void Write(Table table, Stream stream, VOTableWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(stream);
        new Writer(table, stream, options ?? new VOTableWriteOptions()).Run();
    }

    /// <summary>Writes <paramref name="table"/> as a VOTable to the file <paramref name="path"/>.</summary>
    public static void WriteFile(Table table, string path, VOTableWriteOptions? options = null)
    {
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(table, fs, options);
    }

    private sealed partial class Writer
    {
        private readonly Table _t;
        private readonly Stream _s;
        private readonly VOTableWriteOptions _o;
        private XmlWriter _w = null!;
        private readonly Dictionary<string, string> _idMap = new(StringComparer.Ordinal);
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
        private Field[] _fields = [];

        public Writer(Table t, Stream s, VOTableWriteOptions o)
        {
            _t = t;
            _s = s;
            _o = o;
        }

        private void Warn(string code, string message) => _t.Warnings.Add(code, message);

        public void Run()
        {
            if (_o.Version is not ("1.3" or "1.4" or "1.5"))
                throw new VoScriptException($"cannot write VOTable version '{_o.Version}' (use 1.3, 1.4 or 1.5)");
            CollectIds();
            _fields = _t.Columns.Select(PrepareField).ToArray();
            var settings = new XmlWriterSettings
            {
                Encoding = new UTF8Encoding(false),
                Indent = false,
                CloseOutput = false,
                CheckCharacters = true,
            };
            using (_w = XmlWriter.Create(_s, settings))
            {
                _w.WriteStartDocument();
                _w.WriteWhitespace("\n");
                _w.WriteStartElement("VOTABLE", Namespace);
                _w.WriteAttributeString("version", _o.Version);
                _w.WriteAttributeString("xmlns", "xsi", null, "http://www.w3.org/2001/XMLSchema-instance");
                _w.WriteAttributeString("xsi", "schemaLocation", "http://www.w3.org/2001/XMLSchema-instance",
                    $"{Namespace} http://www.ivoa.net/xml/VOTable/v1.3");
                var doc = _t.Document;
                if (doc is not null)
                {
                    Attr("ID", Id(doc.Id));
                    Description(doc.Description, 1);
                    foreach (var m in doc.Systems) Meta(m, 1);
                    foreach (var p in doc.Params) WriteField(p, "PARAM", 1, p);
                    foreach (var g in doc.Groups) WriteGroup(g, 1);
                    Infos(doc.Infos, 0, doc.TrailingInfosFrom ?? doc.Infos.Count, 1);
                }
                var res = _t.Resource;
                Nl(1);
                _w.WriteStartElement("RESOURCE");
                Attr("name", res?.Name);
                Attr("ID", Id(res?.Id));
                Attr("type", res?.Type ?? "results");
                Attr("utype", res?.Utype);
                if (res is not null)
                {
                    Description(res.Description, 2);
                    Infos(res.Infos, 0, res.TrailingInfosFrom ?? res.Infos.Count, 2);
                    foreach (var m in res.Systems) Meta(m, 2);
                    foreach (var p in res.Params) WriteField(p, "PARAM", 2, p);
                    foreach (var g in res.Groups) WriteGroup(g, 2);
                    foreach (var l in res.Links) WriteLink(l, 2);
                }
                // a table with nothing at all (read from an error document) is written as no TABLE
                if (_t.ColumnCount > 0 || _t.Params.Count > 0 || _t.Infos.Count > 0 || _t.Groups.Count > 0 || _t.Name is not null)
                    WriteTable(2);
                if (res is not null) Infos(res.Infos, res.TrailingInfosFrom ?? res.Infos.Count, res.Infos.Count, 2);
                Nl(1);
                _w.WriteEndElement();
                if (doc is not null) Infos(doc.Infos, doc.TrailingInfosFrom ?? doc.Infos.Count, doc.Infos.Count, 1);
                Nl(0);
                _w.WriteEndElement();
                _w.WriteWhitespace("\n");
                _w.WriteEndDocument();
            }
        }

        // ------------------------------------------------------------ IDs

        private void CollectIds()
        {
            var order = new List<string>();
            void Add(string? id)
            {
                if (id is not null) order.Add(id);
            }
            void AddGroup(Group g)
            {
                Add(g.Id);
                foreach (var p in g.Params) Add(p.Id);
                foreach (var s in g.Groups) AddGroup(s);
            }
            void AddContainer(ContainerMeta? c)
            {
                if (c is null) return;
                Add(c.Id);
                foreach (var m in c.Systems) Add(m.Id);
                foreach (var p in c.Params) Add(p.Id);
                foreach (var g in c.Groups) AddGroup(g);
                foreach (var i in c.Infos) Add(i.Id);
                foreach (var l in c.Links) Add(l.Id);
            }
            AddContainer(_t.Document);
            AddContainer(_t.Resource);
            Add(_t.Id);
            foreach (var p in _t.Params) Add(p.Id);
            foreach (var c in _t.Columns) Add(c.Field.Id);
            foreach (var g in _t.Groups) AddGroup(g);
            foreach (var i in _t.Infos) Add(i.Id);
            foreach (var l in _t.Links) Add(l.Id);
            // valid IDs keep their names; invalid or duplicate ones are repaired around them
            foreach (var id in order)
                if (RepairId(id) == id && _ids.Add(id)) _idMap[id] = id;
            foreach (var id in order)
            {
                if (_idMap.ContainsKey(id)) continue;
                var fixedId = RepairId(id);
                var unique = fixedId;
                for (var i = 2; _ids.Contains(unique); i++) unique = fixedId + "_" + i.ToString(CultureInfo.InvariantCulture);
                Warn(WarningCodes.InvalidId, $"ID '{id}' is not a valid XML ID; written as '{unique}'");
                _ids.Add(unique);
                _idMap[id] = unique;
            }
        }

        internal static string RepairId(string id)
        {
            try { XmlConvert.VerifyNCName(id); return id; }
            catch (XmlException) { }
            var sb = new StringBuilder(id.Length + 1);
            foreach (var ch in id) sb.Append(XmlConvert.IsNCNameChar(ch) ? ch : '_');
            if (sb.Length == 0 || !XmlConvert.IsStartNCNameChar(sb[0])) sb.Insert(0, '_');
            return sb.ToString();
        }

        private string? Id(string? id) => id is null ? null : _idMap.GetValueOrDefault(id, id);

        /// <summary>A ref mapped to the written ID; refs to IDs not in the output are dropped with a warning.</summary>
        private string? Ref(string? r, string where)
        {
            if (r is null) return null;
            if (_idMap.TryGetValue(r, out var id)) return id;
            Warn(WarningCodes.InvalidId, $"ref=\"{r}\" of {where} points to no element of the written document; dropped");
            return null;
        }

        // ------------------------------------------------------------ metadata

        private void Nl(int depth)
        {
            _w.WriteWhitespace("\n" + new string(' ', depth));
        }

        private void Attr(string name, string? value)
        {
            if (value is not null) _w.WriteAttributeString(name, Clean(value));
        }

        private string Clean(string s)
        {
            for (var i = 0; i < s.Length; i++)
            {
                if (!XmlConvert.IsXmlChar(s[i]) && !(char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])))
                {
                    if (char.IsLowSurrogate(s[i]) && i > 0 && char.IsHighSurrogate(s[i - 1])) continue;
                    var sb = new StringBuilder(s.Length);
                    for (var j = 0; j < s.Length; j++)
                    {
                        var c = s[j];
                        if (char.IsHighSurrogate(c) && j + 1 < s.Length && char.IsLowSurrogate(s[j + 1])) { sb.Append(c).Append(s[++j]); continue; }
                        sb.Append(XmlConvert.IsXmlChar(c) ? c : '\uFFFD');
                    }
                    Warn(WarningCodes.InvalidXmlChar, "characters that XML cannot hold were replaced by U+FFFD");
                    return sb.ToString();
                }
            }
            return s;
        }
    }
}

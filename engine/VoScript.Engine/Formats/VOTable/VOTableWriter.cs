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
public static class VOTableWriter
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

    private sealed class Writer
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

        private void Description(string? d, int depth)
        {
            if (d is null) return;
            Nl(depth);
            _w.WriteElementString("DESCRIPTION", Clean(d));
        }

        private void Meta(MetaElement m, int depth)
        {
            Nl(depth);
            _w.WriteStartElement(m.ElementName);
            foreach (var a in m.Attributes)
            {
                if (a.Key.Contains(':')) continue;
                Attr(a.Key, a.Key == "ID" ? Id(a.Value) : a.Value);
            }
            _w.WriteEndElement();
        }

        private void Infos(List<Info> infos, int from, int to, int depth)
        {
            for (var i = from; i < to && i < infos.Count; i++)
            {
                var info = infos[i];
                Nl(depth);
                _w.WriteStartElement("INFO");
                Attr("ID", Id(info.Id));
                Attr("name", info.Name);
                Attr("value", info.Value ?? "");
                Attr("unit", info.Unit);
                Attr("ucd", info.Ucd);
                Attr("utype", info.Utype);
                Attr("ref", Ref(info.Ref, $"INFO '{info.Name}'"));
                if (info.Content is not null) _w.WriteString(Clean(info.Content));
                _w.WriteEndElement();
            }
        }

        private void WriteLink(Link l, int depth)
        {
            Nl(depth);
            _w.WriteStartElement("LINK");
            Attr("ID", Id(l.Id));
            Attr("content-role", l.ContentRole);
            Attr("content-type", l.ContentType);
            Attr("title", l.Title);
            Attr("href", l.Href);
            Attr("action", l.Action);
            _w.WriteEndElement();
        }

        private void WriteGroup(Group g, int depth)
        {
            Nl(depth);
            _w.WriteStartElement("GROUP");
            Attr("ID", Id(g.Id));
            Attr("name", g.Name);
            Attr("ref", Ref(g.Ref, $"GROUP '{g.Name}'"));
            Attr("ucd", g.Ucd);
            Attr("utype", g.Utype);
            Description(g.Description, depth + 1);
            foreach (var r in g.FieldRefs)
            {
                if (Ref(r, $"FIELDref in GROUP '{g.Name}'") is not { } id) continue;
                Nl(depth + 1);
                _w.WriteStartElement("FIELDref");
                _w.WriteAttributeString("ref", id);
                _w.WriteEndElement();
            }
            foreach (var r in g.ParamRefs)
            {
                if (Ref(r, $"PARAMref in GROUP '{g.Name}'") is not { } id) continue;
                Nl(depth + 1);
                _w.WriteStartElement("PARAMref");
                _w.WriteAttributeString("ref", id);
                _w.WriteEndElement();
            }
            foreach (var p in g.Params) WriteField(p, "PARAM", depth + 1, p);
            foreach (var s in g.Groups) WriteGroup(s, depth + 1);
            Nl(depth);
            _w.WriteEndElement();
        }

        private void WriteField(Field f, string element, int depth, Param? param = null)
        {
            Nl(depth);
            _w.WriteStartElement(element);
            Attr("ID", Id(f.Id));
            Attr("name", f.Name);
            Attr("datatype", f.DataType.VOTableName());
            if (!f.ArraySize.IsScalar) Attr("arraysize", f.ArraySize.ToString());
            Attr("width", f.Width);
            Attr("precision", f.Precision);
            Attr("unit", f.Unit);
            Attr("ucd", f.Ucd);
            Attr("utype", f.Utype);
            Attr("xtype", f.XType);
            Attr("ref", Ref(f.Ref, $"{element} '{f.Name}'"));
            if (param is not null) Attr("value", param.Value);
            foreach (var a in f.ExtraAttributes)
            {
                if (a.Key.Contains(':') || a.Key is "ID" or "name" or "datatype" or "arraysize" or "value") continue;
                Attr(a.Key, a.Value);
            }
            var hasChildren = f.Description is not null || f.Values is not null || f.Links.Count > 0;
            if (hasChildren)
            {
                Description(f.Description, depth + 1);
                if (f.Values is { } v) WriteValues(v, depth + 1, f.Name);
                foreach (var l in f.Links) WriteLink(l, depth + 1);
                Nl(depth);
            }
            _w.WriteEndElement();
        }

        private void WriteValues(FieldValues v, int depth, string fieldName)
        {
            Nl(depth);
            _w.WriteStartElement("VALUES");
            Attr("type", v.Type);
            Attr("null", v.Null);
            Attr("ref", Ref(v.Ref, $"VALUES of '{fieldName}'"));
            if (v.Min is not null)
            {
                _w.WriteStartElement("MIN");
                Attr("value", v.Min);
                if (!v.MinInclusive) Attr("inclusive", "no");
                _w.WriteEndElement();
            }
            if (v.Max is not null)
            {
                _w.WriteStartElement("MAX");
                Attr("value", v.Max);
                if (!v.MaxInclusive) Attr("inclusive", "no");
                _w.WriteEndElement();
            }
            foreach (var o in v.Options) WriteOption(o);
            _w.WriteEndElement();
        }

        private void WriteOption(ValueOption o)
        {
            _w.WriteStartElement("OPTION");
            Attr("name", o.Name);
            Attr("value", o.Value);
            foreach (var n in o.Options) WriteOption(n);
            _w.WriteEndElement();
        }

        /// <summary>The field as written: datatype and arraysize agree with the column's storage.</summary>
        private Field PrepareField(Column c)
        {
            var f = c.Field.Clone();
            var declared = f.DataType;
            switch (c)
            {
                case StringColumn:
                    if (!f.DataType.IsText()) f.DataType = DataType.Char;
                    if (!f.IsString || f.ArraySize.IsScalar) f.ArraySize = ArraySize.Variable;
                    break;
                default:
                    var t = c.ElementType.IsArray ? c.ElementType.GetElementType()! : c.ElementType;
                    var dt = TypeFor(t, f.DataType);
                    f.DataType = dt;
                    if (c.ElementType.IsArray)
                    {
                        if (f.ArraySize.IsScalar || (dt.IsText() && f.IsString)) f.ArraySize = dt.IsText() ? ArraySize.VariableWith([1], null) : ArraySize.Variable;
                    }
                    else f.ArraySize = ArraySize.Scalar;
                    break;
            }
            if (c is StringColumn sc && f.DataType == DataType.Char && _o.Serialization != VOTableSerialization.TableData && HasNonAscii(sc))
            {
                f.DataType = DataType.UnicodeChar;
                declared = DataType.UnicodeChar;
                Warn(WarningCodes.NonAsciiChar, $"column '{f.Name}' is char but holds non-ASCII text; written as unicodeChar");
            }
            if (f.DataType != declared)
                Warn("VOT-DATATYPE-WRITE", $"column '{f.Name}' declared {declared.VOTableName()} but holds {f.DataType.VOTableName()} values; written as {f.DataType.VOTableName()}");
            if (_o.Serialization == VOTableSerialization.Binary && c.NullCount > 0 && f.DataType.IsInteger() && c is not StringColumn && !c.ElementType.IsArray)
            {
                if (f.Values?.Null is null || !long.TryParse(f.Values.Null, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                {
                    var pick = PickNull(c, f.DataType);
                    f.Values ??= new FieldValues();
                    f.Values.Null = pick.ToString(CultureInfo.InvariantCulture);
                    Warn("VOT-NULL-DECLARED", $"column '{f.Name}' has nulls; BINARY needs a null value, declared VALUES null=\"{f.Values.Null}\"");
                }
            }
            if (c is { ElementType.IsArray: true } && f.DataType.IsInteger() && ElementNullsOf(c) is { } en
                && (f.Values?.Null is null || !long.TryParse(f.Values.Null, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
            {
                var pick = PickElementNull(c, en, f.DataType);
                f.Values ??= new FieldValues();
                f.Values.Null = pick.ToString(CultureInfo.InvariantCulture);
                Warn("VOT-NULL-DECLARED", $"column '{f.Name}' has null array elements; declared VALUES null=\"{f.Values.Null}\" for them");
            }
            return f;
        }

        private static NullMask? ElementNullsOf(Column c) => c switch
        {
            ArrayColumn<long> a => a.ElementNulls,
            ArrayColumn<int> a => a.ElementNulls,
            ArrayColumn<short> a => a.ElementNulls,
            ArrayColumn<byte> a => a.ElementNulls,
            _ => null,
        };

        /// <summary>An integer no non-null element of the array column uses, for its null elements.</summary>
        private static long PickElementNull(Column c, NullMask elementNulls, DataType dt)
        {
            var used = new HashSet<long>();
            void Add<T>(ArrayColumn<T> a) where T : unmanaged
            {
                for (var i = 0; i < a.Offsets[a.Count]; i++)
                    if (!elementNulls[i]) used.Add(Convert.ToInt64(a.Data[i], CultureInfo.InvariantCulture));
            }
            switch (c)
            {
                case ArrayColumn<long> a: Add(a); break;
                case ArrayColumn<int> a: Add(a); break;
                case ArrayColumn<short> a: Add(a); break;
                case ArrayColumn<byte> a: Add(a); break;
            }
            var (min, max) = dt switch
            {
                DataType.UnsignedByte => (0L, 255L),
                DataType.Short => (short.MinValue, (long)short.MaxValue),
                DataType.Int => (int.MinValue, (long)int.MaxValue),
                _ => (long.MinValue, long.MaxValue),
            };
            if (dt == DataType.UnsignedByte)
            {
                for (var v = max; v >= min; v--) if (!used.Contains(v)) return v;
            }
            else
            {
                for (var v = min; v < min + used.Count + 1; v++) if (!used.Contains(v)) return v;
            }
            throw new VoScriptException($"column '{c.Name}' uses every {dt.VOTableName()} value, so its null elements cannot be written; leave them out or use a wider type");
        }

        private static bool HasNonAscii(StringColumn c) => !c.IsAscii;

        private static DataType TypeFor(Type t, DataType declared)
        {
            if (t == typeof(bool)) return declared == DataType.Bit ? DataType.Bit : DataType.Boolean;
            if (t == typeof(byte)) return DataType.UnsignedByte;
            if (t == typeof(short)) return DataType.Short;
            if (t == typeof(int)) return DataType.Int;
            if (t == typeof(long)) return DataType.Long;
            if (t == typeof(float)) return DataType.Float;
            if (t == typeof(double)) return DataType.Double;
            if (t == typeof(ComplexFloat)) return DataType.FloatComplex;
            if (t == typeof(Complex)) return DataType.DoubleComplex;
            if (t == typeof(char)) return declared == DataType.UnicodeChar ? DataType.UnicodeChar : DataType.Char;
            throw new VoScriptException($"cannot write a column of {t.Name} values to VOTable");
        }

        private static long PickNull(Column c, DataType dt)
        {
            var (min, max) = dt switch
            {
                DataType.UnsignedByte => (0L, 255L),
                DataType.Short => (short.MinValue, (long)short.MaxValue),
                DataType.Int => (int.MinValue, (long)int.MaxValue),
                _ => (long.MinValue, long.MaxValue),
            };
            var used = new HashSet<long>();
            for (var i = 0; i < c.Count; i++)
                if (!c.IsNull(i)) used.Add(Convert.ToInt64(c.GetValue(i), CultureInfo.InvariantCulture));
            if (dt == DataType.UnsignedByte)
            {
                for (var v = max; v >= min; v--) if (!used.Contains(v)) return v;
            }
            else
            {
                for (var v = min; v < min + used.Count + 1; v++) if (!used.Contains(v)) return v;
            }
            throw new VoScriptException($"column '{c.Name}' uses every {dt.VOTableName()} value, so its nulls cannot be written as BINARY; use BINARY2 or TABLEDATA");
        }

        // ------------------------------------------------------------ table

        private void WriteTable(int depth)
        {
            Nl(depth);
            _w.WriteStartElement("TABLE");
            Attr("ID", Id(_t.Id));
            Attr("name", _t.Name);
            Attr("ucd", _t.Ucd);
            Attr("utype", _t.Utype);
            Attr("ref", Ref(_t.Ref, "TABLE"));
            _w.WriteAttributeString("nrows", _t.RowCount.ToString(CultureInfo.InvariantCulture));
            Description(_t.Description, depth + 1);
            Infos(_t.Infos, 0, _t.TrailingInfosFrom ?? _t.Infos.Count, depth + 1);
            foreach (var p in _t.Params) WriteField(p, "PARAM", depth + 1, p);
            foreach (var f in _fields) WriteField(f, "FIELD", depth + 1);
            foreach (var g in _t.Groups) WriteGroup(g, depth + 1);
            foreach (var l in _t.Links) WriteLink(l, depth + 1);
            if (_fields.Length > 0 && !_o.MetadataOnly)
            {
                Nl(depth + 1);
                _w.WriteStartElement("DATA");
                switch (_o.Serialization)
                {
                    case VOTableSerialization.TableData: WriteTableData(depth + 2); break;
                    case VOTableSerialization.Binary: WriteBinary("BINARY", false, depth + 2); break;
                    default: WriteBinary("BINARY2", true, depth + 2); break;
                }
                Nl(depth + 1);
                _w.WriteEndElement();
            }
            Infos(_t.Infos, _t.TrailingInfosFrom ?? _t.Infos.Count, _t.Infos.Count, depth + 1);
            Nl(depth);
            _w.WriteEndElement();
        }

        private void WriteTableData(int depth)
        {
            Nl(depth);
            _w.WriteStartElement("TABLEDATA");
            var cols = _t.Columns;
            var rows = _t.RowCount;
            var line = new RowText();
            for (var r = 0; r < rows; r++)
            {
                line.Append("\n<TR>");
                for (var c = 0; c < cols.Count; c++)
                {
                    var col = cols[c];
                    if (col.IsNull(r)) { line.Append("<TD/>"); continue; }
                    line.Append("<TD>");
                    switch (col)
                    {
                        case ScalarColumn<double> d: line.AppendNumber(d.Values[r]); break;
                        case ScalarColumn<float> f: line.AppendNumber(f.Values[r]); break;
                        case ScalarColumn<long> l: line.AppendFormattable(l.Values[r]); break;
                        case ScalarColumn<int> i: line.AppendFormattable(i.Values[r]); break;
                        case ScalarColumn<short> sh: line.AppendFormattable(sh.Values[r]); break;
                        case ScalarColumn<byte> ub: line.AppendFormattable(ub.Values[r]); break;
                        case StringColumn s when s.IsUtf8: AppendUtf8Escaped(line, s, r); break;
                        case StringColumn s: AppendEscaped(line, s[r] ?? ""); break;
                        case ArrayColumn<char> a: AppendEscaped(line, new string(a[r]).Replace('\0', ' ')); break;
                        case ScalarColumn<bool> bit when _fields[c].DataType == DataType.Bit: line.Append(bit.Values[r] ? "1" : "0"); break;
                        case ArrayColumn<bool> bits when _fields[c].DataType == DataType.Bit: line.Append(BitsText(bits[r])); break;
                        default: line.Append(FormatText(col, r, _fields[c])); break;
                    }
                    line.Append("</TD>");
                }
                line.Append("</TR>");
                if (line.Length > 60_000) { _w.WriteRaw(line.Chars, 0, line.Length); line.Length = 0; }
            }
            line.Append("\n");
            _w.WriteRaw(line.Chars, 0, line.Length);
            _w.WriteEndElement();
        }

        /// <summary>A UTF-8 cell decoded straight into the row; a cell that needs escaping or repair takes <see cref="AppendEscaped"/>.</summary>
        private void AppendUtf8Escaped(RowText line, StringColumn s, int r)
        {
            var u = s.Utf8(r);
            if (u.IndexOfAny("&<>\r"u8) < 0 && System.Text.Ascii.IsValid(u)
                && u.IndexOfAnyInRange((byte)0, (byte)0x1F) < 0) { line.AppendAscii(u); return; }
            AppendEscaped(line, s[r] ?? "");
        }

        /// <summary>Appends text escaped for XML character data (invalid characters replaced).</summary>
        private void AppendEscaped(RowText line, string text)
        {
            text = Clean(text);
            var start = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var rep = text[i] switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", '\r' => "&#13;", _ => null };
                if (rep is null) continue;
                line.Append(text.AsSpan(start, i - start));
                line.Append(rep);
                start = i + 1;
            }
            line.Append(text.AsSpan(start));
        }

        private static string BitsText(ReadOnlySpan<bool> bits)
        {
            var sb = new StringBuilder(bits.Length * 2);
            for (var i = 0; i < bits.Length; i++) { if (i > 0) sb.Append(' '); sb.Append(bits[i] ? '1' : '0'); }
            return sb.ToString();
        }

        private static string FormatText(Column col, int r, Field written)
        {
            var v = col.FormatCell(r, written.Values?.Null);
            if (v.Contains("Infinity", StringComparison.Ordinal) || v.Contains('∞'))
                v = v.Replace("-Infinity", "-Inf").Replace("Infinity", "+Inf").Replace("-∞", "-Inf").Replace("∞", "+Inf");
            return v;
        }

        private void WriteBinary(string element, bool binary2, int depth)
        {
            Nl(depth);
            _w.WriteStartElement(element);
            _w.WriteStartElement("STREAM");
            _w.WriteAttributeString("encoding", "base64");
            // the rows go to the stream as base64 bytes, not through the XmlWriter (its WriteBase64
            // makes characters and encodes them again): close the start tag, flush, write, go on
            _w.WriteString("");
            _w.Flush();
            var encoders = new CellEncoder[_t.ColumnCount];
            for (var c = 0; c < encoders.Length; c++) encoders[c] = CellEncoder.Create(_t.Columns[c], _fields[c], this);
            var buf = new RowBuffer();
            var text = new byte[(64 * 1024 + 2) / 3 * 4 + 4];
            var flagBytes = binary2 ? (encoders.Length + 7) / 8 : 0;
            var rows = _t.RowCount;
            var columns = _t.Columns;
            for (var r = 0; r < rows; r++)
            {
                if (binary2)
                {
                    var fl = buf.Reserve(flagBytes);
                    fl.Clear();
                    for (var c = 0; c < encoders.Length; c++)
                        if (columns[c].IsNull(r)) fl[c >> 3] |= (byte)(0x80 >> (c & 7));
                }
                for (var c = 0; c < encoders.Length; c++) encoders[c].Write(buf, r, binary2);
                if (buf.Length >= 48 * 1024) Base64Out(buf, ref text, final: false);
            }
            Base64Out(buf, ref text, final: true);
            _w.WriteEndElement();
            _w.WriteEndElement();
        }

        /// <summary>Encodes the buffer's whole 3-byte groups (all of it when final) as base64 straight to the output.</summary>
        private void Base64Out(RowBuffer buf, ref byte[] text, bool final)
        {
            var n = final ? buf.Length : buf.Length - buf.Length % 3;
            if (n == 0) return;
            var need = (n + 2) / 3 * 4;
            if (text.Length < need) text = new byte[need];
            System.Buffers.Text.Base64.EncodeToUtf8(buf.Data.AsSpan(0, n), text, out _, out var written, isFinalBlock: final);
            _s.Write(text, 0, written);
            buf.Shift(n);
        }

        internal void StringTooLong(string name, int max) =>
            Warn(WarningCodes.StringTooLong, $"values of column '{name}' longer than its arraysize ({max}) were truncated");
    }

    /// <summary>A growable character buffer for TABLEDATA rows, with allocation-free number formatting.</summary>
    internal sealed class RowText
    {
        public char[] Chars = new char[64 * 1024];
        public int Length;

        private Span<char> Room(int n)
        {
            if (Length + n > Chars.Length) Array.Resize(ref Chars, Math.Max(Chars.Length * 2, Length + n));
            return Chars.AsSpan(Length);
        }

        public void Append(ReadOnlySpan<char> s)
        {
            s.CopyTo(Room(s.Length));
            Length += s.Length;
        }

        public void AppendAscii(ReadOnlySpan<byte> s)
        {
            System.Text.Ascii.ToUtf16(s, Room(s.Length), out var n);
            Length += n;
        }

        public void AppendFormattable<T>(T v) where T : ISpanFormattable
        {
            int n;
            while (!v.TryFormat(Room(32), out n, default, CultureInfo.InvariantCulture)) Room(Chars.Length);
            Length += n;
        }

        public void AppendNumber(double d)
        {
            if (double.IsNaN(d)) Append("NaN");
            else if (double.IsInfinity(d)) Append(d > 0 ? "+Inf" : "-Inf");
            else { d.TryFormat(Room(32), out var n, "R", CultureInfo.InvariantCulture); Length += n; }
        }

        public void AppendNumber(float f)
        {
            if (float.IsNaN(f)) Append("NaN");
            else if (float.IsInfinity(f)) Append(f > 0 ? "+Inf" : "-Inf");
            else { f.TryFormat(Room(32), out var n, "R", CultureInfo.InvariantCulture); Length += n; }
        }
    }

    /// <summary>A growable byte buffer for binary rows.</summary>
    internal sealed class RowBuffer
    {
        public byte[] Data = new byte[64 * 1024];
        public int Length;

        public Span<byte> Reserve(int n)
        {
            if (Length + n > Data.Length) Array.Resize(ref Data, Math.Max(Data.Length * 2, Length + n));
            var s = Data.AsSpan(Length, n);
            Length += n;
            return s;
        }

        public void Shift(int n)
        {
            Buffer.BlockCopy(Data, n, Data, 0, Length - n);
            Length -= n;
        }
    }

    private abstract class CellEncoder
    {
        public abstract void Write(RowBuffer b, int row, bool binary2);

        public static CellEncoder Create(Column c, Field f, Writer w) => c switch
        {
            StringColumn s => new StringEncoder(s, f, w),
            ScalarColumn<bool> x => new BoolEncoder(x, f),
            ScalarColumn<byte> x => new ScalarEncoder<byte>(x, f),
            ScalarColumn<short> x => new ScalarEncoder<short>(x, f),
            ScalarColumn<int> x => new ScalarEncoder<int>(x, f),
            ScalarColumn<long> x => new ScalarEncoder<long>(x, f),
            ScalarColumn<float> x => new ScalarEncoder<float>(x, f),
            ScalarColumn<double> x => new ScalarEncoder<double>(x, f),
            ScalarColumn<ComplexFloat> x => new ScalarEncoder<ComplexFloat>(x, f),
            ScalarColumn<Complex> x => new ScalarEncoder<Complex>(x, f),
            ArrayColumn<bool> x => new ArrayEncoder<bool>(x, f),
            ArrayColumn<byte> x => new ArrayEncoder<byte>(x, f),
            ArrayColumn<short> x => new ArrayEncoder<short>(x, f),
            ArrayColumn<int> x => new ArrayEncoder<int>(x, f),
            ArrayColumn<long> x => new ArrayEncoder<long>(x, f),
            ArrayColumn<float> x => new ArrayEncoder<float>(x, f),
            ArrayColumn<double> x => new ArrayEncoder<double>(x, f),
            ArrayColumn<ComplexFloat> x => new ArrayEncoder<ComplexFloat>(x, f),
            ArrayColumn<Complex> x => new ArrayEncoder<Complex>(x, f),
            ArrayColumn<char> x => new ArrayEncoder<char>(x, f),
            _ => throw new VoScriptException($"cannot write column '{c.Name}' ({c.GetType().Name}) to VOTable"),
        };

        protected static T NullFill<T>(Field f) where T : unmanaged
        {
            // the canonical quiet NaN (0x7FC00000 / 0x7FF8…), not .NET's negative default NaN
            var fnan = BitConverter.Int32BitsToSingle(0x7FC00000);
            var dnan = BitConverter.Int64BitsToDouble(0x7FF8000000000000);
            if (typeof(T) == typeof(double)) return (T)(object)dnan;
            if (typeof(T) == typeof(float)) return (T)(object)fnan;
            if (typeof(T) == typeof(ComplexFloat)) return (T)(object)new ComplexFloat(fnan, fnan);
            if (typeof(T) == typeof(Complex)) return (T)(object)new Complex(dnan, dnan);
            if (f.Values?.Null is { } n && long.TryParse(n, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
            {
                if (typeof(T) == typeof(long)) return (T)(object)l;
                if (typeof(T) == typeof(int)) return (T)(object)unchecked((int)l);
                if (typeof(T) == typeof(short)) return (T)(object)unchecked((short)l);
                if (typeof(T) == typeof(byte)) return (T)(object)unchecked((byte)l);
            }
            return default;
        }
    }

    private sealed class ScalarEncoder<T>(ScalarColumn<T> c, Field f) : CellEncoder where T : unmanaged
    {
        private readonly int _size = f.DataType.ByteSize();
        private readonly T _fill = NullFill<T>(f);

        public override void Write(RowBuffer b, int row, bool binary2) =>
            ValueParsing.WriteBig(b.Reserve(_size), c.IsNull(row) ? _fill : c.Values[row]);
    }

    private sealed class BoolEncoder(ScalarColumn<bool> c, Field f) : CellEncoder
    {
        private readonly bool _bit = f.DataType == DataType.Bit;

        public override void Write(RowBuffer b, int row, bool binary2)
        {
            var s = b.Reserve(1);
            if (_bit) s[0] = !c.IsNull(row) && c.Values[row] ? (byte)0x80 : (byte)0;
            else s[0] = c.IsNull(row) ? (byte)'?' : c.Values[row] ? (byte)'T' : (byte)'F';
        }
    }

    private sealed class StringEncoder(StringColumn c, Field f, Writer w) : CellEncoder
    {
        private readonly bool _unicode = f.DataType == DataType.UnicodeChar;
        private readonly int? _fixed = f.ArraySize.FixedLength;
        private readonly int? _max = f.ArraySize.MaxLast;
        private bool _warned;

        public override void Write(RowBuffer b, int row, bool binary2)
        {
            if (c.IsUtf8 && !_unicode)
            {
                var u = c.Utf8(row);
                if (_fixed is { } fx)
                {
                    var span = b.Reserve(fx);
                    span.Clear();
                    if (u.Length > fx) { Truncated(fx); u = u[..fx]; }
                    u.CopyTo(span);
                    return;
                }
                if (_max is { } mx && u.Length > mx) { Truncated(mx); u = u[..mx]; }
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(b.Reserve(4), u.Length);
                u.CopyTo(b.Reserve(u.Length));
                return;
            }
            var s = c[row] ?? "";
            var enc = _unicode ? Encoding.BigEndianUnicode : Encoding.UTF8;
            var unit = _unicode ? 2 : 1;
            var bytes = enc.GetByteCount(s);
            if (_fixed is { } n)
            {
                var span = b.Reserve(n * unit);
                span.Clear();
                if (bytes > n * unit)
                {
                    Truncated(n);
                    var tmp = enc.GetBytes(s);
                    tmp.AsSpan(0, n * unit).CopyTo(span);
                }
                else enc.GetBytes(s, span);
                return;
            }
            if (_max is { } m && bytes > m * unit)
            {
                Truncated(m);
                var tmp = enc.GetBytes(s);
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(b.Reserve(4), m);
                tmp.AsSpan(0, m * unit).CopyTo(b.Reserve(m * unit));
                return;
            }
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(b.Reserve(4), bytes / unit);
            enc.GetBytes(s, b.Reserve(bytes));
        }

        private void Truncated(int n)
        {
            if (_warned) return;
            _warned = true;
            w.StringTooLong(c.Name, n);
        }
    }

    private sealed class ArrayEncoder<T>(ArrayColumn<T> c, Field f) : CellEncoder where T : unmanaged
    {
        private readonly ArraySize _a = f.ArraySize;
        private readonly DataType _dt = f.DataType;
        private readonly int _size = f.DataType.ByteSize();
        private readonly T _fill = NullFill<T>(f);

        public override void Write(RowBuffer b, int row, bool binary2)
        {
            var cell = c.IsNull(row) ? ReadOnlySpan<T>.Empty : c[row];
            int n;
            if (_a.IsVariable)
            {
                n = cell.Length;
                if (_a.MaxLast is { } m && n > m * _a.FixedElementCount) n = m * _a.FixedElementCount;
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(b.Reserve(4), n);
            }
            else n = _a.FixedElementCount;
            if (_dt == DataType.Bit)
            {
                var s = b.Reserve((n + 7) / 8);
                s.Clear();
                for (var i = 0; i < n && i < cell.Length; i++)
                    if ((bool)(object)cell[i]) s[i >> 3] |= (byte)(0x80 >> (i & 7));
                return;
            }
            if (typeof(T) == typeof(bool))
            {
                var s = b.Reserve(n);
                for (var i = 0; i < n; i++)
                    s[i] = i >= cell.Length || c.IsElementNull(row, i) ? (byte)'?' : (bool)(object)cell[i] ? (byte)'T' : (byte)'F';
                return;
            }
            if (typeof(T) == typeof(char))
            {
                var unicode = _dt == DataType.UnicodeChar;
                var s = b.Reserve(n * (unicode ? 2 : 1));
                s.Clear();
                for (var i = 0; i < n && i < cell.Length; i++)
                {
                    var ch = (char)(object)cell[i];
                    if (unicode) System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(s[(2 * i)..], ch);
                    else s[i] = ch < 256 ? (byte)ch : (byte)'?';
                }
                return;
            }
            var span = b.Reserve(n * _size);
            var elementNulls = c.ElementNulls is not null && !c.IsNull(row);
            for (var i = 0; i < n; i++)
                ValueParsing.WriteBig(span[(i * _size)..], i < cell.Length && !(elementNulls && c.IsElementNull(row, i)) ? cell[i] : _fill);
        }
    }
}

using System.Globalization;
using System.Numerics;
using System.Text;
using System.Xml;
using VoScript.Engine.Model;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>VOTableWriter: the TABLE element and its data (TABLEDATA rows as text, BINARY and BINARY2 rows as base64).</summary>
public static partial class VOTableWriter
{
    private sealed partial class Writer
    {
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
            if (!RowByRow && encoders.All(e => e.Columnar))
            {
                WriteBinaryColumns(encoders, binary2);
                _w.WriteEndElement();
                _w.WriteEndElement();
                return;
            }
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

        /// <summary>
        /// The rows in blocks, each encoded column by column: the size of every row of the block first (fixed cells and
        /// the lengths of variable ones), then each column writes its cells at its place in every row, in one loop
        /// without a call per cell. The blocks go to <see cref="Base64Sink"/>, which encodes and writes them on
        /// another thread while the next block is made.
        /// </summary>
        private void WriteBinaryColumns(CellEncoder[] enc, bool binary2)
        {
            const int blockRows = 4096;
            var n = enc.Length;
            var flagBytes = binary2 ? (n + 7) / 8 : 0;
            var fixedRow = flagBytes;
            foreach (var e in enc) if (!e.Variable) fixedRow += e.FixedBytes;
            var variable = enc.Where(e => e.Variable).ToArray();
            var nulls = _t.Columns.Select(c => c.Nulls).ToArray();
            var rows = _t.RowCount;
            var cur = new int[blockRows];
            using var sink = new Base64Sink(_s, parallel: Environment.ProcessorCount > 1 && rows > blockRows);
            for (var r0 = 0; r0 < rows; r0 += blockRows)
            {
                var k = Math.Min(blockRows, rows - r0);
                var sizes = cur.AsSpan(0, k);
                sizes.Fill(fixedRow);
                foreach (var e in variable) e.AddSizes(cur, r0, k);
                long total = 0;
                for (var i = 0; i < k; i++)
                {
                    var size = cur[i];
                    cur[i] = (int)total;
                    total += size;
                }
                if (total > Array.MaxLength) throw new VoScriptException($"rows {r0 + 1}–{r0 + k} of the table are larger than 2 GB; they cannot be written as binary VOTable");
                var buf = sink.Rent((int)total);
                if (binary2)
                {
                    for (var i = 0; i < k; i++) buf.AsSpan(cur[i], flagBytes).Clear();
                    for (var c = 0; c < n; c++)
                    {
                        if (nulls[c] is not { } m) continue;
                        var at = c >> 3;
                        var bit = (byte)(0x80 >> (c & 7));
                        for (var i = 0; i < k; i++)
                            if (m[r0 + i]) buf[cur[i] + at] |= bit;
                    }
                    for (var i = 0; i < k; i++) cur[i] += flagBytes;
                }
                foreach (var e in enc) e.WriteColumn(buf, cur, r0, k);
                sink.Submit(buf, (int)total);
            }
            sink.Complete();
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
}

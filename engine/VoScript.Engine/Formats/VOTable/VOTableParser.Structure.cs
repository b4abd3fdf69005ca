using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using VoScript.Engine.Formats;
using VoScript.Engine.Formats.Streams;
using VoScript.Engine.Model;
using Group = VoScript.Engine.Model.Group;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>VOTableParser: the document's structure (RESOURCE, TABLE, DATA, STREAM).</summary>
internal sealed partial class VOTableParser
{
    // ------------------------------------------------------------ structure

    private void ParseDocument()
    {
        while (true)
        {
            if (!Next()) throw Error("the document is empty or has no root element");
            if (_xr.NodeType == XmlNodeType.Element) break;
        }
        if (_xr.LocalName != "VOTABLE")
            throw Error($"not a VOTable: the root element is <{_xr.Name}> (expected <VOTABLE>)");
        var ns = _xr.NamespaceURI;
        if (!KnownNamespaces.Contains(ns))
            Warn(WarningCodes.UnknownNamespace, $"unknown VOTable namespace '{ns}' accepted (expected http://www.ivoa.net/xml/VOTable/v1.3)");
        var attrs = Attrs();
        _doc.Id = Get(attrs, "ID");
        var version = Get(attrs, "version");
        if (version is not null)
        {
            var m = Regex.Match(version, @"^\s*[vV]?\s*(1\.\d)\s*$");
            if (!m.Success || m.Groups[1].Value != version)
            {
                Warn(WarningCodes.BadVersion, $"VOTABLE version=\"{version}\" is not of the form 1.x");
                version = m.Success ? m.Groups[1].Value : version;
            }
        }
        _doc.Type = version;
        var resourcesSeen = false;
        ForEachChild(name =>
        {
            switch (name)
            {
                case "DESCRIPTION": _doc.Description = ReadText(); break;
                case "DEFINITIONS":
                    ForEachChild(n =>
                    {
                        if (n is "COOSYS" or "TIMESYS") _doc.Systems.Add(ParseMeta());
                        else if (n == "PARAM") _doc.Params.Add((Param)ParseField(true).Field);
                    });
                    break;
                case "COOSYS" or "TIMESYS": _doc.Systems.Add(ParseMeta()); break;
                case "GROUP": _doc.Groups.Add(ParseGroup()); break;
                case "PARAM": _doc.Params.Add((Param)ParseField(true).Field); break;
                case "INFO":
                    if (resourcesSeen) _doc.TrailingInfosFrom ??= _doc.Infos.Count;
                    _doc.Infos.Add(ParseInfo());
                    break;
                case "RESOURCE": resourcesSeen = true; ParseResource(); break;
            }
        });
    }

    private void ParseResource()
    {
        var attrs = Attrs();
        var res = new ContainerMeta
        {
            Name = Get(attrs, "name"), Id = Get(attrs, "ID"), Type = Get(attrs, "type"), Utype = Get(attrs, "utype"),
        };
        _firstResource ??= res;
        var blockSeen = false;
        ForEachChild(name =>
        {
            switch (name)
            {
                case "DESCRIPTION": res.Description = ReadText(); break;
                case "INFO":
                    if (blockSeen) res.TrailingInfosFrom ??= res.Infos.Count;
                    res.Infos.Add(ParseInfo());
                    break;
                case "COOSYS" or "TIMESYS": res.Systems.Add(ParseMeta()); break;
                case "GROUP": res.Groups.Add(ParseGroup()); break;
                case "PARAM": res.Params.Add((Param)ParseField(true).Field); break;
                case "LINK": res.Links.Add(ParseLink()); break;
                case "TABLE": blockSeen = true; ParseTable(res); break;
                case "RESOURCE": blockSeen = true; ParseResource(); break;
            }
        });
    }

    private void ParseTable(ContainerMeta res)
    {
        var idx = _tableCount++;
        var attrs = Attrs();
        var name = Get(attrs, "name");
        var id = Get(attrs, "ID");
        _tableNames.Add(name ?? id ?? $"#{idx}");
        var selected = _all || (_o.TableName is { } tn
            ? _selected is null && (name == tn || id == tn)
            : idx == _o.TableIndex);
        var t = new Table(name)
        {
            Id = id, Ucd = Get(attrs, "ucd"), Utype = Get(attrs, "utype"), Ref = Get(attrs, "ref"),
            Resource = res, Document = _doc,
        };
        if (Get(attrs, "nrows") is { } nr)
        {
            if (long.TryParse(nr.Trim(), out var n) && n >= 0) t.DeclaredRows = n;
            else Warn(WarningCodes.WrongNrows, $"TABLE nrows=\"{nr}\" is not a number; ignored");
        }
        var prevTarget = _target;
        if (selected) _target = t.Warnings;
        var fields = new List<(Field Field, ArraySize Wire)>();
        ColumnBuilder[]? builders = null;
        var dataSeen = false;
        ForEachChild(child =>
        {
            switch (child)
            {
                case "DESCRIPTION": t.Description = ReadText(); break;
                case "INFO":
                    if (dataSeen) t.TrailingInfosFrom ??= t.Infos.Count;
                    t.Infos.Add(ParseInfo());
                    break;
                case "FIELD":
                    if (fields.Count >= _o.Limits.MaxColumns)
                        throw Error($"the table has more than {_o.Limits.MaxColumns} FIELDs (ReaderLimits.MaxColumns)");
                    fields.Add(ParseField(false));
                    break;
                case "PARAM": t.Params.Add((Param)ParseField(true).Field); break;
                case "GROUP": t.Groups.Add(ParseGroup()); break;
                case "LINK": t.Links.Add(ParseLink()); break;
                case "DATA":
                    dataSeen = true;
                    if (selected && builders is null)
                    {
                        // pre-size from nrows, bounded (nrows may be wrong or hostile): at most ~256 MB up front
                        var bytesPerRow = Math.Max(1, fields.Sum(f => f.Field.DataType.IsText() ? 8 : Math.Max(1, f.Field.DataType.ByteSize())));
                        var rows = t.DeclaredRows ?? RowsTheRestCanHold(fields);
                        ColumnBuilder.CapacityHint = rows is { } nr ? (int)Math.Min(nr, (256L << 20) / bytesPerRow) : 0;
                        try { builders = fields.Select(f => ColumnBuilder.Create(f.Field, f.Wire, this)).ToArray(); }
                        finally { ColumnBuilder.CapacityHint = 0; }
                    }
                    ParseData(t, builders, selected, idx);
                    break;
            }
        });
        if (selected)
        {
            builders ??= fields.Select(f => ColumnBuilder.Create(f.Field, f.Wire, this)).ToArray();
            foreach (var b in builders) t.AddColumn(b.Build());
            if (t.DeclaredRows is { } declared && declared != t.RowCount && fields.Count > 0)
                Warn(WarningCodes.WrongNrows, $"TABLE declares nrows=\"{declared}\" but has {t.RowCount} rows");
            _target = prevTarget;
            if (_all) _tables.Add(t);
            else _selected ??= t;
        }
    }

    /// <summary>
    /// Without nrows, the most rows the rest of a file can hold (decoded base64 is 3/4 of its characters, and a row takes
    /// at least its fixed cells' bytes), so that the columns start at about their final size instead of growing by copies
    /// (room never written costs no memory); null when the length of the input or of a row is unknown.
    /// </summary>
    private long? RowsTheRestCanHold(List<(Field Field, ArraySize Wire)> fields)
    {
        if (_size is not { } size || fields.Count == 0) return null;
        long rowBytes = 0;
        foreach (var (f, wire) in fields)
        {
            if (wire.IsVariable) { rowBytes += 4; continue; }
            int elements;
            try { elements = wire.FixedElementCount; } catch (OverflowException) { return null; }
            rowBytes += f.DataType == DataType.Bit ? (elements + 7) / 8 : (long)elements * Math.Max(1, f.DataType.ByteSize());
        }
        if (rowBytes < 4) return null;
        return Math.Max(0, size - _docBytes.Count) * 3 / 4 / rowBytes;
    }

    private long ParseData(Table t, ColumnBuilder[]? builders, bool selected, int tableIndex)
    {
        long rows = 0;
        var dataInfos = false;
        ForEachChild(child =>
        {
            switch (child)
            {
                case "TABLEDATA":
                    if (_xr.IsEmptyElement || !_atRaw) break;
                    if (selected && builders is not null)
                    {
                        _inData = true;
                        var fieldsNow = builders.Select(b => (b.Field, b.Wire)).ToArray();
                        var parallel = new ParallelTableData(_in, builders,
                            () => fieldsNow.Select(f => ColumnBuilder.Create(f.Field, f.Wire, this)).ToArray(), _o.MaxCellLength, _o.Limits.MaxRows, _ct);
                        rows = parallel.Run();
                        _inData = false;
                    }
                    else RawSkipTo("TABLEDATA");
                    ResumeAfterRaw();
                    break;
                case "BINARY" or "BINARY2":
                    var binary2 = child == "BINARY2";
                    ForEachChild(s =>
                    {
                        if (s == "STREAM") rows = ParseStream(builders, selected, binary2);
                    });
                    break;
                case "FITS":
                    if (selected)
                        throw Error($"table {(t.Name is { } tn ? "'" + tn + "'" : "number " + (tableIndex + 1))} uses the FITS serialization, which is not supported; ask the service for TABLEDATA, BINARY or BINARY2");
                    break;
                case "INFO":
                    if (!dataInfos) { t.TrailingInfosFrom ??= t.Infos.Count; dataInfos = true; }
                    t.Infos.Add(ParseInfo());
                    break;
            }
        });
        return rows;
    }

    private long ParseStream(ColumnBuilder[]? builders, bool selected, bool binary2)
    {
        var attrs = Attrs();
        var href = Get(attrs, "href");
        var encoding = Get(attrs, "encoding")?.Trim().ToLowerInvariant() ?? "";
        var hadContent = _atRaw;
        _streamAt = Where();
        if (href is null)
        {
            if (!hadContent) return 0; // <STREAM/>: no rows
            if (!selected || builders is null) { RawSkipTo("STREAM"); ResumeAfterRaw(); return 0; }
            if (encoding is not ("base64" or "gzip" or ""))
                throw Error($"inline STREAM encoding=\"{encoding}\" is not supported (expected base64)");
            var text = new InlineTextStream(_in);
            Stream s = new Base64DecodeStream(text);
            if (encoding == "gzip") s = new GzipLimitStream(s, _o.Limits, leaveOpen: true, _ct);
            long rows;
            // decode base64 (and gzip) on the other core while rows are decoded here
            using (var ahead = Environment.ProcessorCount > 1 ? new ReadAheadStream(s) : null)
                rows = DecodeBinary(ahead ?? s, builders, binary2);
            // the stream ended at '<' (or '&', an error)
            if (!_in.Ensure(1)) throw RawError("the document ends inside STREAM (truncated?)");
            if (_in.Buf[_in.Pos] == '&') throw RawError("'&' is not allowed in base64 STREAM content");
            ExpectEndTag("STREAM");
            ResumeAfterRaw();
            return rows;
        }
        if (hadContent) { RawSkipTo("STREAM"); ResumeAfterRaw(); }
        if (!selected || builders is null) return 0;
        using var remote = OpenHref(href);
        Stream r = remote;
        if (encoding == "gzip") r = new GzipLimitStream(r, _o.Limits, leaveOpen: true, _ct);
        else if (encoding == "base64") r = new Base64DecodeStream(r);
        using var readAhead = Environment.ProcessorCount > 1 ? new ReadAheadStream(r) : null;
        return DecodeBinary(readAhead ?? r, builders, binary2, href);
    }

    private void ExpectEndTag(string localName)
    {
        // as much of the end tag as the input has (up to 200 bytes): the buffer may end inside "</STREAM>"
        _in.Ensure(200);
        if (_in.End - _in.Pos < 3) throw RawError($"the document ends inside {localName} (truncated?)");
        var rest = _in.Buf.AsSpan(_in.Pos, Math.Min(_in.End - _in.Pos, 200));
        var gt = rest.IndexOf((byte)'>');
        if (rest.StartsWith("</"u8) && gt > 2)
        {
            var tag = ValueParsing.Trim(rest[2..gt]);
            var colon = tag.IndexOf((byte)':');
            if (colon >= 0) tag = tag[(colon + 1)..];
            if (tag.SequenceEqual(Encoding.ASCII.GetBytes(localName))) { _in.Pos += gt + 1; return; }
        }
        throw RawError($"expected </{localName}> after the base64 data, found '{ValueParsing.Show(rest[..Math.Min(rest.Length, 20)])}'");
    }
}

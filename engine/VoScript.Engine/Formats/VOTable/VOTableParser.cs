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

/// <summary>
/// One pass over a VOTable document: metadata through a safe XmlReader, data through
/// <see cref="TableDataScanner"/> or the binary decoders.
/// </summary>
internal sealed partial class VOTableParser : IWarningSink
{
    private readonly VOTableInput _in;
    private readonly MetadataStream _meta;
    private readonly VOTableReadOptions _o;
    private readonly bool _all;
    private readonly CancellationToken _ct;
    private XmlReader _xr;
    private readonly List<(string QName, string NsDecls, int Line, int Column)> _stack = [];
    private readonly List<(int Offset, int Line, int Column)> _prefixElements = [];
    private bool _atRaw;
    private int _resumeLine = 1, _resumeCol = 1, _prefixChars;
    private readonly TableWarnings _docWarnings = new();
    private TableWarnings? _target;
    private bool _inData;
    private readonly List<Table> _tables = [];
    private Table? _selected;
    private int _tableCount;
    private readonly ContainerMeta _doc = new();
    private ContainerMeta? _firstResource;
    private readonly List<string> _tableNames = [];
    private readonly ByteLimitStream _docBytes;

    private static readonly HashSet<string> KnownNamespaces =
    [
        "", "http://www.ivoa.net/xml/VOTable/v1.0", "http://www.ivoa.net/xml/VOTable/v1.1",
        "http://www.ivoa.net/xml/VOTable/v1.2", "http://www.ivoa.net/xml/VOTable/v1.3",
    ];

    public VOTableParser(Stream stream, VOTableReadOptions options, bool readAll, CancellationToken ct)
    {
        _o = options;
        _all = readAll;
        _ct = ct;
        _docBytes = new ByteLimitStream(stream, options.Limits.MaxDecodedBytes, "the document (ReaderLimits.MaxDecodedBytes)", ct);
        _in = new VOTableInput(_docBytes);
        _meta = new MetadataStream(_in);
        _xr = CreateReader();
    }

    public (Table Single, IReadOnlyList<Table> All) Parse()
    {
        try
        {
            ParseDocument();
        }
        catch (VOTableFormatException) { throw; }
        catch (OperationCanceledException) { throw; }
        catch (VoScriptException) { throw; }
        catch (XmlException e) { throw XmlError(e); }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or DecoderFallbackException or CryptographicException)
        {
            var (l, c) = _in.Position;
            throw new VOTableFormatException($"line {l}, column {c}: cannot read the document: {e.Message}", l, c, inner: e);
        }
        foreach (var t in _tables) t.Warnings.AddRange(_docWarnings);
        if (_all) return (_tables.Count > 0 ? _tables[0] : EmptyTable(), _tables);
        if (_selected is not null) { _selected.Warnings.AddRange(_docWarnings); return (_selected, [_selected]); }
        if (_o.TableName is { } name)
            throw new VOTableFormatException($"the document has no TABLE named '{name}'" +
                (_tableNames.Count > 0 ? $"; its tables are: {string.Join(", ", _tableNames)}" : " (it has no tables)"));
        if (_tableCount == 0 && _o.TableIndex == 0)
        {
            var e = EmptyTable();
            return (e, [e]);
        }
        throw new VOTableFormatException($"table index {_o.TableIndex} does not exist: the document has {_tableCount} table{(_tableCount == 1 ? "" : "s")}");
    }

    private Table EmptyTable()
    {
        var t = new Table { Resource = _firstResource, Document = _doc };
        t.Warnings.AddRange(_docWarnings);
        return t;
    }

    // ------------------------------------------------------------ XmlReader plumbing

    private XmlReader CreateReader()
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            MaxCharactersFromEntities = 1024,
            MaxCharactersInDocument = Math.Max(64L << 20, (long)_o.MaxCellLength * 2),
            CloseInput = false,
        };
        var text = new StreamReader(_meta, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: false, 4096, leaveOpen: true);
        return XmlReader.Create(text, settings);
    }

    private (int Line, int Column) Where()
    {
        if (_xr is IXmlLineInfo li && li.HasLineInfo()) return Map(li.LineNumber, li.LinePosition);
        return _in.Position;
    }

    private (int, int) Map(int line, int col)
    {
        if (line > 1) return (_resumeLine + line - 1, col);
        if (col - 1 < _prefixChars)
        {
            // inside the synthetic prefix: the real position of that element's start tag
            for (var i = _prefixElements.Count - 1; i >= 0; i--)
                if (_prefixElements[i].Offset <= col - 1) return (_prefixElements[i].Line, _prefixElements[i].Column);
        }
        return (_resumeLine, Math.Max(1, _resumeCol + col - 1 - _prefixChars));
    }

    private VOTableFormatException Error(string message)
    {
        var (l, c) = Where();
        return new VOTableFormatException($"line {l}, column {c}: {message}", l, c);
    }

    private VOTableFormatException XmlError(XmlException e)
    {
        var line = e.LineNumber;
        var pos = e.LinePosition;
        if (line <= 0 && LineSuffix().Match(e.Message) is { Success: true } m)
        {
            line = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            pos = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
        var (l, c) = line > 0 ? Map(line, pos) : Where();
        if (e.Message.Contains("DTD is prohibited", StringComparison.Ordinal) && _meta.DoctypeAt is { } dt) (l, c) = dt;
        var msg = LineSuffix().Replace(e.Message, "").Trim();
        msg = OnLine().Replace(msg, mm =>
        {
            var (ml, mc) = Map(int.Parse(mm.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(mm.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            return $"on line {ml}, column {mc}";
        });
        if (msg.Contains("DTD is prohibited", StringComparison.Ordinal))
            msg = "a DOCTYPE declaration is not allowed in a VOTable (DTDs and external entities are refused for safety); remove the DOCTYPE";
        else if (msg.StartsWith("Unexpected end of file", StringComparison.Ordinal))
            msg = "the document ends early (truncated?): " + msg;
        else if (msg.Contains("MaxCharactersInDocument", StringComparison.Ordinal) || msg.Contains("exceeds the limit", StringComparison.Ordinal))
            msg = "the metadata is larger than the limit (ReaderLimits.MaxCellLength): " + msg;
        else msg = "malformed XML: " + msg;
        return new VOTableFormatException($"line {l}, column {c}: {msg}", l, c, inner: e);
    }

    [GeneratedRegex(@"\s*Line (\d+), position (\d+)\.\s*$")]
    private static partial Regex LineSuffix();

    [GeneratedRegex(@"on line (\d+) position (\d+)")]
    private static partial Regex OnLine();

    public void Warn(string code, string message)
    {
        if (_o.Strict)
        {
            if (_inData) throw new CellFormatException(message + " (not allowed in strict mode)");
            throw Error(message + " (not allowed in strict mode)");
        }
        lock (_docWarnings) (_target ?? _docWarnings).Add(code, message); // data chunks warn from worker threads
    }

    /// <summary>Advances to the next node, keeping the element stack; skips unhandled raw sections.</summary>
    private bool Next()
    {
        if (_atRaw) RawSkipCurrent();
        try
        {
            if (!_xr.Read()) return false;
        }
        catch (XmlException e) { throw XmlError(e); }
        if (_xr.NodeType == XmlNodeType.Element)
        {
            if (!_xr.IsEmptyElement)
            {
                var (pl, pc) = Where();
                _stack.Add((_xr.Name, NamespaceDecls(), pl, pc));
                if (_stack.Count > _o.MaxDepth)
                    throw Error($"elements are nested deeper than {_o.MaxDepth} levels (ReaderLimits.MaxDepth)");
                if (_meta.Stopped && _xr.LocalName == _meta.StoppedAt) _atRaw = true;
            }
        }
        else if (_xr.NodeType == XmlNodeType.EndElement)
        {
            if (_stack.Count > 0) _stack.RemoveAt(_stack.Count - 1);
        }
        return true;
    }

    private string NamespaceDecls()
    {
        if (!_xr.HasAttributes) return "";
        StringBuilder? sb = null;
        for (var i = 0; i < _xr.AttributeCount; i++)
        {
            _xr.MoveToAttribute(i);
            if (_xr.Prefix == "xmlns" || _xr.Name == "xmlns")
                (sb ??= new StringBuilder()).Append(' ').Append(_xr.Name).Append("=\"").Append(EscapeAttr(_xr.Value)).Append('"');
        }
        _xr.MoveToElement();
        return sb?.ToString() ?? "";
    }

    private static string EscapeAttr(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace("\"", "&quot;");

    /// <summary>Calls <paramref name="onChild"/> for each child element (the reader on its start tag); consumes the end tag.</summary>
    private void ForEachChild(Action<string> onChild)
    {
        if (_xr.IsEmptyElement) return;
        var depth = _stack.Count;
        while (Next())
        {
            if (_xr.NodeType == XmlNodeType.EndElement && _stack.Count == depth - 1) return;
            if (_xr.NodeType == XmlNodeType.Element)
            {
                var empty = _xr.IsEmptyElement;
                onChild(_xr.LocalName);
                if (!empty) SkipToDepth(depth);
            }
        }
        throw Error("the document ends early (truncated?)");
    }

    private void SkipToDepth(int depth)
    {
        while (_stack.Count > depth)
            if (!Next()) throw Error("the document ends early (truncated?)");
    }

    private string ReadText()
    {
        if (_xr.IsEmptyElement) return "";
        var depth = _stack.Count;
        var sb = new StringBuilder();
        while (Next())
        {
            if (_xr.NodeType == XmlNodeType.EndElement && _stack.Count == depth - 1) return sb.ToString();
            if (_stack.Count == depth && _xr.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace)
                sb.Append(_xr.Value);
        }
        throw Error("the document ends early (truncated?)");
    }

    // ------------------------------------------------------------ raw sections

    /// <summary>After the raw content of the top element (end tag included) was consumed: continue with a new XmlReader.</summary>
    private void ResumeAfterRaw()
    {
        _stack.RemoveAt(_stack.Count - 1);
        _atRaw = false;
        var sb = new StringBuilder();
        _prefixElements.Clear();
        foreach (var (q, ns, l, c) in _stack)
        {
            _prefixElements.Add((sb.Length, l, c));
            sb.Append('<').Append(q).Append(ns).Append('>');
        }
        var prefix = sb.ToString();
        (_resumeLine, _resumeCol) = _in.Position;
        _prefixChars = prefix.Length;
        _meta.Resume(Encoding.UTF8.GetBytes(prefix));
        _xr.Dispose();
        _xr = CreateReader();
        for (var i = 0; i < _stack.Count; i++)
        {
            try
            {
                if (!_xr.Read() || _xr.NodeType != XmlNodeType.Element) throw Error("internal error resuming the XML reader");
            }
            catch (XmlException e) { throw XmlError(e); }
        }
    }

    private void RawSkipCurrent()
    {
        var name = _meta.StoppedAt;
        RawSkipTo(name);
        ResumeAfterRaw();
    }

    /// <summary>Skips input up to and including the end tag <c>&lt;/[p:]name&gt;</c>.</summary>
    private void RawSkipTo(string localName)
    {
        var nameBytes = Encoding.ASCII.GetBytes(localName);
        while (true)
        {
            var span = _in.Buf.AsSpan(_in.Pos, _in.End - _in.Pos);
            var i = span.IndexOf("</"u8);
            if (i < 0)
            {
                _in.Pos = Math.Max(_in.Pos, _in.End - 1);
                if (!_in.FillMore()) throw RawError($"the document ends inside {localName} (truncated?)");
                continue;
            }
            _in.Pos += i;
            if (!_in.Ensure(nameBytes.Length + 80)) _in.Ensure(1);
            var rest = _in.Buf.AsSpan(_in.Pos + 2, _in.End - _in.Pos - 2);
            var gt = rest.IndexOf((byte)'>');
            if (gt >= 0)
            {
                var tag = ValueParsing.Trim(rest[..gt]);
                var colon = tag.IndexOf((byte)':');
                if (colon >= 0) tag = tag[(colon + 1)..];
                if (tag.SequenceEqual(nameBytes)) { _in.Pos += 2 + gt + 1; return; }
            }
            _in.Pos += 2;
        }
    }

    private VOTableFormatException RawError(string message)
    {
        var (l, c) = _in.Position;
        return new VOTableFormatException($"line {l}, column {c}: {message}", l, c);
    }

    // ------------------------------------------------------------ attributes

    private List<KeyValuePair<string, string>> Attrs()
    {
        var list = new List<KeyValuePair<string, string>>();
        if (!_xr.HasAttributes) return list;
        for (var i = 0; i < _xr.AttributeCount; i++)
        {
            _xr.MoveToAttribute(i);
            if (_xr.Prefix == "xmlns" || _xr.Name == "xmlns") continue;
            list.Add(new(_xr.Name, _xr.Value));
        }
        _xr.MoveToElement();
        if (!list.Exists(a => a.Key == "ID"))
        {
            var lower = list.FindIndex(a => a.Key == "id");
            if (lower >= 0)
            {
                Warn(WarningCodes.LowercaseId, $"attribute 'id' read as 'ID' (VOTable attributes are case-sensitive)");
                list[lower] = new("ID", list[lower].Value);
            }
        }
        return list;
    }

    private static string? Get(List<KeyValuePair<string, string>> attrs, string name)
    {
        foreach (var a in attrs) if (a.Key == name) return a.Value;
        return null;
    }

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
                        ColumnBuilder.CapacityHint = t.DeclaredRows is { } nr ? (int)Math.Min(nr, (256L << 20) / bytesPerRow) : 0;
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
                rows = DecodeRows(ahead ?? s, builders, binary2);
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
        return DecodeRows(readAhead ?? r, builders, binary2, href);
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

    private (int Line, int Column) _streamAt;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private long DecodeRows(Stream s, ColumnBuilder[] cols, bool binary2, string? href = null)
    {
        var budget = Math.Max(0, _o.Limits.MaxDecodedBytes - _docBytes.Count);
        var r = new BinaryRowReader(new ByteLimitStream(s, budget, "the decoded binary data (ReaderLimits.MaxDecodedBytes)", _ct), _o.MaxCellLength);
        var flagBytes = binary2 ? (cols.Length + 7) / 8 : 0;
        Span<byte> flags = stackalloc byte[Math.Min(flagBytes, 512)];
        var flagArr = flagBytes > 512 ? new byte[flagBytes] : null;
        long row = 0;
        var c = -1;
        _inData = true;
        try
        {
            while (!r.AtEnd())
            {
                c = -1;
                if (row >= _o.Limits.MaxRows)
                    throw new CellFormatException($"the table has more rows than the limit of {_o.Limits.MaxRows} (ReaderLimits.MaxRows)");
                var before = r.Taken;
                if (binary2)
                {
                    var fb = r.Take(flagBytes);
                    if (flagArr is not null) fb.CopyTo(flagArr); else fb.CopyTo(flags);
                }
                for (c = 0; c < cols.Length; c++)
                {
                    var isNull = false;
                    if (binary2)
                    {
                        var b = flagArr is not null ? flagArr[c >> 3] : flags[c >> 3];
                        isNull = (b & (0x80 >> (c & 7))) != 0;
                    }
                    cols[c].AddBinary(r, isNull, binary2);
                }
                if (r.Taken == before)
                    throw new CellFormatException("a row of the binary stream takes no bytes (every field has arraysize 0), so the stream cannot be cut into rows");
                row++;
                if ((row & 0xFFFF) == 0) _ct.ThrowIfCancellationRequested();
            }
        }
        catch (Exception e) when (e is CellFormatException or FormatException or InvalidDataException or CryptographicException or IOException)
        {
            var field = c >= 0 && c < cols.Length ? cols[c].Field.Name : null;
            var what = e is CellFormatException ? e.Message
                : e is FormatException or CryptographicException ? "invalid base64 data: " + e.Message
                : "cannot decode the stream: " + e.Message;
            var (l, col) = _streamAt;
            var where = href is not null ? $"line {l}, column {col}, STREAM href '{href}'" : $"line {l}, column {col}, STREAM";
            var cell = field is not null ? $" (row {row + 1}, field '{field}')" : $" (row {row + 1})";
            throw new VOTableFormatException($"{where}{cell}: {what}", l, col, row + 1, field, e);
        }
        finally { _inData = false; }
        return row;
    }

    /// <summary>
    /// Opens a STREAM href. http(s) only with <see cref="VOTableReadOptions.Http"/>; local files only when the document
    /// was read from a file (<see cref="VOTableReadOptions.BaseDirectory"/>) and only in its folder or below, checked on
    /// the real path (symbolic links resolved) before the file is touched. Refusals say nothing of the file itself.
    /// </summary>
    private Stream OpenHref(string href)
    {
        if (href.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || href.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (_o.Http is null)
                throw Error($"STREAM href '{href}' refused: this document may not make the reader fetch other URLs (only inline STREAM data is read here)");
            try
            {
                var resp = _o.Http.Send(new HttpRequestMessage(HttpMethod.Get, href), HttpCompletionOption.ResponseHeadersRead, _ct);
                if (!resp.IsSuccessStatusCode)
                    throw Error($"STREAM href '{href}' answered HTTP {(int)resp.StatusCode} {resp.ReasonPhrase}");
                return resp.Content.ReadAsStream(_ct);
            }
            catch (HttpRequestException e)
            {
                throw Error($"cannot open STREAM href '{href}': {e.Message}");
            }
        }
        if (_o.BaseDirectory is null || !_o.Limits.FollowFileHrefs)
            throw Error($"STREAM href '{href}' refused: a document that did not come from a local file may not refer to local files; send the data inline (TABLEDATA, BINARY or BINARY2)");
        string path;
        try
        {
            if (href.StartsWith("file://", StringComparison.OrdinalIgnoreCase)) path = new Uri(href).LocalPath;
            else if (href.StartsWith("file:", StringComparison.OrdinalIgnoreCase)) path = Uri.UnescapeDataString(href[5..]);
            else if (href.Contains("://", StringComparison.Ordinal)) throw Error($"STREAM href '{href}': only file:, http: and https: are supported");
            else path = Uri.UnescapeDataString(href);
        }
        catch (UriFormatException)
        {
            throw Error($"STREAM href '{href}' is not a valid URI");
        }
        var root = Path.GetFullPath(_o.BaseDirectory);
        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(root, path));
        if (!IsBelow(full, root) || !IsBelow(RealPath(full), RealPath(root)))
            throw Error($"STREAM href '{href}' refused: a VOTable file may only refer to files in its own folder or below it ({root})");
        try
        {
            return new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Error($"cannot open STREAM href '{href}': {e.Message}");
        }
    }

    private static bool IsBelow(string path, string root)
    {
        var r = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return path.StartsWith(r, StringComparison.Ordinal);
    }

    /// <summary>The path with every symbolic link along it resolved (as far as the parts exist).</summary>
    private static string RealPath(string full)
    {
        try
        {
            var parts = full.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            var cur = Path.GetPathRoot(full) ?? "/";
            foreach (var p in parts)
            {
                var next = Path.Combine(cur, p);
                FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
                if (info.Exists && info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                    next = Path.GetFullPath(target.FullName);
                cur = next;
            }
            return cur;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return full;
        }
    }

    // ------------------------------------------------------------ metadata elements

    private static readonly HashSet<string> FieldAttrs =
        ["name", "ID", "datatype", "arraysize", "unit", "ucd", "utype", "xtype", "ref", "width", "precision", "value"];

    private (Field Field, ArraySize Wire) ParseField(bool isParam)
    {
        var element = isParam ? "PARAM" : "FIELD";
        var attrs = Attrs();
        var name = Get(attrs, "name");
        var id = Get(attrs, "ID");
        if (string.IsNullOrEmpty(name))
        {
            name = id ?? $"col{_tableCount}_{attrs.Count}";
            Warn(WarningCodes.MissingName, $"{element} without a name; named '{name}'");
        }
        var dtText = Get(attrs, "datatype");
        if (dtText is null) throw Error($"{element} '{name}' has no datatype attribute");
        if (!DataTypes.TryParse(dtText, out var dt, out var repaired))
            throw Error($"{element} '{name}' has unknown datatype '{dtText}' (expected boolean, bit, unsignedByte, short, int, long, char, unicodeChar, float, double, floatComplex or doubleComplex)");
        if (repaired) Warn(WarningCodes.NonStandardDatatype, $"non-standard datatype '{dtText}' read as '{dt.VOTableName()}'");
        var asText = Get(attrs, "arraysize");
        if (!ArraySize.TryParse(asText, out var wire))
            throw Error($"{element} '{name}' has invalid arraysize '{asText}' (expected e.g. 10, *, 10*, 3x2 or 3x*)");
        long elements = 1;
        foreach (var d in wire.FixedDimensions)
        {
            elements *= d;
            if (elements > _o.Limits.MaxArrayElements) break;
        }
        if (elements > _o.Limits.MaxArrayElements)
            throw Error($"{element} '{name}' has arraysize '{asText}', more than the limit of {_o.Limits.MaxArrayElements} elements per cell (ReaderLimits.MaxArrayElements)");
        var size = wire;
        if (dt.IsText() && wire.IsScalar)
        {
            Warn(WarningCodes.CharWithoutArraysize, $"{dt.VOTableName()} {element} without arraysize read as a string (arraysize=\"*\")");
            size = ArraySize.Variable;
        }
        Field f;
        if (isParam)
        {
            var value = Get(attrs, "value");
            if (value is null)
            {
                Warn(WarningCodes.MissingValue, $"PARAM '{name}' has no value attribute; read as empty");
                value = "";
            }
            f = new Param(name, dt, value, size);
        }
        else f = new Field(name, dt, size);
        f.Id = id;
        f.Unit = Get(attrs, "unit");
        f.Ucd = Get(attrs, "ucd");
        f.Utype = Get(attrs, "utype");
        f.XType = Get(attrs, "xtype");
        f.Ref = Get(attrs, "ref");
        f.Width = Get(attrs, "width");
        f.Precision = Get(attrs, "precision");
        foreach (var a in attrs)
            if (!FieldAttrs.Contains(a.Key)) f.ExtraAttributes.Add(a);
        ForEachChild(child =>
        {
            switch (child)
            {
                case "DESCRIPTION": f.Description = ReadText(); break;
                case "VALUES": f.Values = ParseValues(); break;
                case "LINK": f.Links.Add(ParseLink()); break;
            }
        });
        return (f, wire);
    }

    private FieldValues ParseValues()
    {
        var attrs = Attrs();
        var v = new FieldValues { Null = Get(attrs, "null"), Type = Get(attrs, "type"), Ref = Get(attrs, "ref") };
        ForEachChild(child =>
        {
            var a = Attrs();
            switch (child)
            {
                case "MIN": v.Min = Get(a, "value"); v.MinInclusive = Get(a, "inclusive") != "no"; break;
                case "MAX": v.Max = Get(a, "value"); v.MaxInclusive = Get(a, "inclusive") != "no"; break;
                case "OPTION": v.Options.Add(ParseOption(a)); break;
            }
        });
        return v;
    }

    private ValueOption ParseOption(List<KeyValuePair<string, string>> a)
    {
        var nested = new List<ValueOption>();
        ForEachChild(child => { if (child == "OPTION") nested.Add(ParseOption(Attrs())); });
        return new ValueOption(Get(a, "name"), Get(a, "value") ?? "", nested);
    }

    private Link ParseLink()
    {
        var a = Attrs();
        return new Link(Get(a, "href"), Get(a, "content-role"), Get(a, "content-type"), Get(a, "title"), Get(a, "ID"), Get(a, "action"));
    }

    private Info ParseInfo()
    {
        var a = Attrs();
        var text = ReadText().Trim();
        return new Info(Get(a, "name") ?? "", Get(a, "value"), text.Length == 0 ? null : text, Get(a, "ID"),
            Get(a, "unit"), Get(a, "ucd"), Get(a, "utype"), Get(a, "ref"));
    }

    private MetaElement ParseMeta()
    {
        var name = _xr.LocalName;
        var a = Attrs();
        return new MetaElement(name, a);
    }

    private Group ParseGroup()
    {
        var a = Attrs();
        var g = new Group
        {
            Name = Get(a, "name"), Id = Get(a, "ID"), Ucd = Get(a, "ucd"), Utype = Get(a, "utype"), Ref = Get(a, "ref"),
        };
        ForEachChild(child =>
        {
            switch (child)
            {
                case "DESCRIPTION": g.Description = ReadText(); break;
                case "FIELDref": if (Get(Attrs(), "ref") is { } fr) g.FieldRefs.Add(fr); break;
                case "PARAMref": if (Get(Attrs(), "ref") is { } pr) g.ParamRefs.Add(pr); break;
                case "PARAM": g.Params.Add((Param)ParseField(true).Field); break;
                case "GROUP": g.Groups.Add(ParseGroup()); break;
            }
        });
        return g;
    }
}

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
    private readonly long? _size; // the document's length when known (a file): bounds the rows it can hold

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
        _size = stream is PrefixedStream p ? p.Remaining : stream.CanSeek ? stream.Length - stream.Position : null;
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
}

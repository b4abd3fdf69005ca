using System.Globalization;
using System.Text;
using System.Xml;

namespace VoScript.Engine.Protocols.Samp;

/// <summary>
/// A malformed XML-RPC document (bad XML, a DTD, an unknown element): the
/// message says what was wrong.
/// </summary>
internal sealed class XmlRpcFormatException(string message, Exception? inner = null)
    : VoScriptException(message, inner ?? new FormatException(message));

/// <summary>An XML-RPC fault answered by a peer: its code and message as sent.</summary>
internal sealed class XmlRpcFaultException(int code, string faultString)
    : VoScriptException($"fault {code}: {faultString}")
{
    public int Code { get; } = code;
    public string FaultString { get; } = faultString;
}

/// <summary>A decoded XML-RPC method call.</summary>
internal sealed record XmlRpcCall(string Method, IReadOnlyList<object> Params);

/// <summary>
/// The limits of every XML-RPC document VoScript reads (SAMP calls to the hub and to our callback servers, and the
/// answers of hubs and peers), listed in docs/security.md. Each is named in the error that reports it. They are fixed:
/// SAMP messages are small, tables travel by URL.
/// </summary>
internal static class XmlRpcLimits
{
    /// <summary>The deepest nesting of arrays and structs in one value (64).</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// The most bytes of one XML-RPC document, a request body (413 beyond, before it is read) or a response (8 MiB).
    /// </summary>
    public const long MaxDocumentBytes = 8L * 1024 * 1024;
}

/// <summary>
/// The small part of XML-RPC that SAMP uses. Values are modelled as
/// <see cref="string"/>, <see cref="IReadOnlyList{T}"/> of values (array) and
/// <see cref="IReadOnlyDictionary{TKey,TValue}"/> of string to value (struct).
/// On input <c>int</c>, <c>i4</c>, <c>i8</c>, <c>boolean</c> and <c>double</c>
/// are accepted leniently and turned into their SAMP string forms; a
/// <c>&lt;value&gt;</c> without a type element is a string. Output only ever
/// uses <c>string</c>, <c>array</c> and <c>struct</c>. DTDs are refused and
/// nothing external is resolved.
/// </summary>
internal static class XmlRpc
{
    /// <summary>Largest XML-RPC document read (characters; <see cref="XmlRpcLimits.MaxDocumentBytes"/>).</summary>
    public const long MaxDocumentChars = XmlRpcLimits.MaxDocumentBytes;

    private const int MaxDepth = XmlRpcLimits.MaxDepth;

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        MaxCharactersInDocument = MaxDocumentChars,
        CloseInput = false,
    };

    private static readonly XmlWriterSettings WriterSettings = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = false,
        CloseOutput = false,
    };

    // ---- writing ---------------------------------------------------------

    public static byte[] WriteCall(string method, IReadOnlyList<object> args)
    {
        using var ms = new MemoryStream();
        using (var w = XmlWriter.Create(ms, WriterSettings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("methodCall");
            w.WriteElementString("methodName", method);
            w.WriteStartElement("params");
            foreach (var a in args)
            {
                w.WriteStartElement("param");
                WriteValue(w, a, 0);
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
        }
        return ms.ToArray();
    }

    public static byte[] WriteResponse(object? value)
    {
        using var ms = new MemoryStream();
        using (var w = XmlWriter.Create(ms, WriterSettings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("methodResponse");
            w.WriteStartElement("params");
            w.WriteStartElement("param");
            WriteValue(w, value ?? "", 0);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        }
        return ms.ToArray();
    }

    public static byte[] WriteFault(int code, string message)
    {
        using var ms = new MemoryStream();
        using (var w = XmlWriter.Create(ms, WriterSettings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("methodResponse");
            w.WriteStartElement("fault");
            w.WriteStartElement("value");
            w.WriteStartElement("struct");
            w.WriteStartElement("member");
            w.WriteElementString("name", "faultCode");
            w.WriteStartElement("value");
            w.WriteElementString("int", code.ToString(CultureInfo.InvariantCulture));
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteStartElement("member");
            w.WriteElementString("name", "faultString");
            w.WriteStartElement("value");
            w.WriteElementString("string", Sanitize(message));
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
        }
        return ms.ToArray();
    }

    private static void WriteValue(XmlWriter w, object value, int depth)
    {
        if (depth > MaxDepth) throw new ArgumentException("XML-RPC value nested too deeply");
        w.WriteStartElement("value");
        switch (value)
        {
            case string s:
                w.WriteElementString("string", s);
                break;
            case IReadOnlyDictionary<string, object> map:
                w.WriteStartElement("struct");
                foreach (var (k, v) in map)
                {
                    w.WriteStartElement("member");
                    w.WriteElementString("name", k);
                    WriteValue(w, v, depth + 1);
                    w.WriteEndElement();
                }
                w.WriteEndElement();
                break;
            case IEnumerable<object> list:
                w.WriteStartElement("array");
                w.WriteStartElement("data");
                foreach (var v in list) WriteValue(w, v, depth + 1);
                w.WriteEndElement();
                w.WriteEndElement();
                break;
            default:
                throw new ArgumentException(
                    $"SAMP values are strings, lists and maps only, not {value.GetType().Name}");
        }
        w.WriteEndElement();
    }

    /// <summary>Characters XML 1.0 cannot carry are replaced by '?', so a fault text never fails to serialize.</summary>
    private static string Sanitize(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s) sb.Append(XmlConvert.IsXmlChar(c) ? c : '?');
        return sb.ToString();
    }

    // ---- reading ---------------------------------------------------------

    public static XmlRpcCall ReadCall(Stream input)
    {
        using var r = Open(input);
        try
        {
            MoveToContent(r, "methodCall");
            r.ReadStartElement("methodCall");
            string? method = null;
            var args = new List<object>();
            while (NextElement(r))
            {
                switch (r.LocalName)
                {
                    case "methodName":
                        method = r.ReadElementContentAsString().Trim();
                        break;
                    case "params":
                        ReadParams(r, args);
                        break;
                    default:
                        throw Unexpected(r, "methodName or params");
                }
            }
            if (string.IsNullOrEmpty(method)) throw new XmlRpcFormatException("XML-RPC call without a methodName");
            return new XmlRpcCall(method, args);
        }
        catch (XmlException e)
        {
            throw new XmlRpcFormatException($"malformed XML-RPC call: {e.Message}", e);
        }
    }

    /// <summary>The value of a method response; a fault becomes <see cref="XmlRpcFaultException"/>.</summary>
    public static object ReadResponse(Stream input)
    {
        using var r = Open(input);
        try
        {
            MoveToContent(r, "methodResponse");
            r.ReadStartElement("methodResponse");
            object? result = null;
            while (NextElement(r))
            {
                switch (r.LocalName)
                {
                    case "params":
                        var args = new List<object>();
                        ReadParams(r, args);
                        result = args.Count > 0 ? args[0] : "";
                        break;
                    case "fault":
                        r.ReadStartElement("fault");
                        if (!NextElement(r) || r.LocalName != "value") throw new XmlRpcFormatException("XML-RPC fault without a value");
                        var fault = ReadValue(r, 0, lenientFault: true);
                        var map = fault as IReadOnlyDictionary<string, object>;
                        var code = 0;
                        if (map?.GetValueOrDefault("faultCode") is string cs)
                            int.TryParse(cs, NumberStyles.Integer, CultureInfo.InvariantCulture, out code);
                        var text = map?.GetValueOrDefault("faultString") as string ?? "(no fault string)";
                        throw new XmlRpcFaultException(code, text);
                    default:
                        throw Unexpected(r, "params or fault");
                }
            }
            return result ?? throw new XmlRpcFormatException("XML-RPC response without params or fault");
        }
        catch (XmlException e)
        {
            throw new XmlRpcFormatException($"malformed XML-RPC response: {e.Message}", e);
        }
    }

    private static XmlReader Open(Stream input) => XmlReader.Create(input, ReaderSettings);

    private static void MoveToContent(XmlReader r, string expected)
    {
        if (r.MoveToContent() != XmlNodeType.Element || r.LocalName != expected)
            throw new XmlRpcFormatException($"expected <{expected}>, found {Describe(r)}");
    }

    /// <summary>Advances to the next child element of the current element; false at its end tag (which is consumed).</summary>
    private static bool NextElement(XmlReader r)
    {
        while (true)
        {
            switch (r.NodeType)
            {
                case XmlNodeType.Element:
                    return true;
                case XmlNodeType.EndElement:
                    r.Read();
                    return false;
                case XmlNodeType.None:
                    if (!r.Read()) return false;
                    continue;
                case XmlNodeType.Text or XmlNodeType.CDATA:
                    if (!string.IsNullOrWhiteSpace(r.Value))
                        throw new XmlRpcFormatException($"unexpected text '{Trunc(r.Value)}' in XML-RPC document");
                    r.Read();
                    continue;
                default:
                    if (!r.Read()) return false;
                    continue;
            }
        }
    }

    private static void ReadParams(XmlReader r, List<object> args)
    {
        if (r.IsEmptyElement) { r.Read(); return; }
        r.ReadStartElement("params");
        while (NextElement(r))
        {
            if (r.LocalName != "param") throw Unexpected(r, "param");
            if (r.IsEmptyElement) throw new XmlRpcFormatException("XML-RPC <param> without a value");
            r.ReadStartElement("param");
            if (!NextElement(r) || r.LocalName != "value") throw new XmlRpcFormatException("XML-RPC <param> without a value");
            args.Add(ReadValue(r, 0, false));
            while (NextElement(r)) throw Unexpected(r, "</param>");
        }
    }

    /// <summary>Reads a &lt;value&gt; element (positioned on it) and its end tag.</summary>
    private static object ReadValue(XmlReader r, int depth, bool lenientFault)
    {
        if (depth > MaxDepth) throw new XmlRpcFormatException($"XML-RPC value nested deeper than {MaxDepth} levels of arrays and structs (XmlRpcLimits.MaxDepth)");
        if (r.IsEmptyElement) { r.Read(); return ""; }
        r.ReadStartElement("value");
        // Untyped content is a string: collect text until a child element or the end tag.
        var text = new StringBuilder();
        object? typed = null;
        while (true)
        {
            switch (r.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    text.Append(r.Value);
                    r.Read();
                    continue;
                case XmlNodeType.Element:
                    if (typed is not null) throw Unexpected(r, "</value>");
                    if (!string.IsNullOrWhiteSpace(text.ToString()))
                        throw new XmlRpcFormatException($"XML-RPC <value> mixes text and <{r.LocalName}>");
                    typed = ReadTyped(r, depth, lenientFault);
                    continue;
                case XmlNodeType.EndElement:
                    r.Read();
                    return typed ?? text.ToString();
                case XmlNodeType.None:
                    throw new XmlRpcFormatException("XML-RPC document ends inside a <value>");
                default:
                    r.Read();
                    continue;
            }
        }
    }

    private static object ReadTyped(XmlReader r, int depth, bool lenientFault)
    {
        switch (r.LocalName)
        {
            case "string":
                return r.ReadElementContentAsString();
            case "int" or "i4" or "i8":
            {
                var s = r.ReadElementContentAsString().Trim();
                if (!long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
                    throw new XmlRpcFormatException($"XML-RPC <int> '{Trunc(s)}' is not an integer");
                return v.ToString(CultureInfo.InvariantCulture);
            }
            case "boolean":
            {
                var s = r.ReadElementContentAsString().Trim();
                return s switch
                {
                    "1" or "true" => "1",
                    "0" or "false" => "0",
                    _ => throw new XmlRpcFormatException($"XML-RPC <boolean> '{Trunc(s)}' is not 0 or 1"),
                };
            }
            case "double":
            {
                var s = r.ReadElementContentAsString().Trim();
                if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                    throw new XmlRpcFormatException($"XML-RPC <double> '{Trunc(s)}' is not a number");
                return d.ToString("R", CultureInfo.InvariantCulture);
            }
            case "nil":
                r.Skip();
                return "";
            case "array":
            {
                var list = new List<object>();
                if (r.IsEmptyElement) { r.Read(); return list; }
                r.ReadStartElement("array");
                while (NextElement(r))
                {
                    if (r.LocalName != "data") throw Unexpected(r, "data");
                    if (r.IsEmptyElement) { r.Read(); continue; }
                    r.ReadStartElement("data");
                    while (NextElement(r))
                    {
                        if (r.LocalName != "value") throw Unexpected(r, "value");
                        list.Add(ReadValue(r, depth + 1, lenientFault));
                    }
                }
                return list;
            }
            case "struct":
            {
                var map = new Dictionary<string, object>(StringComparer.Ordinal);
                if (r.IsEmptyElement) { r.Read(); return map; }
                r.ReadStartElement("struct");
                while (NextElement(r))
                {
                    if (r.LocalName != "member") throw Unexpected(r, "member");
                    r.ReadStartElement("member");
                    string? name = null;
                    object? value = null;
                    while (NextElement(r))
                    {
                        if (r.LocalName == "name") name = r.ReadElementContentAsString();
                        else if (r.LocalName == "value") value = ReadValue(r, depth + 1, lenientFault);
                        else throw Unexpected(r, "name or value");
                    }
                    if (name is null || value is null) throw new XmlRpcFormatException("XML-RPC struct <member> needs a <name> and a <value>");
                    map[name] = value;
                }
                return map;
            }
            default:
                throw Unexpected(r, "string, array or struct");
        }
    }

    private static XmlRpcFormatException Unexpected(XmlReader r, string expected) =>
        new($"unexpected {Describe(r)} in XML-RPC document (expected {expected})");

    private static string Describe(XmlReader r) => r.NodeType switch
    {
        XmlNodeType.Element => $"<{r.Name}>",
        XmlNodeType.EndElement => $"</{r.Name}>",
        XmlNodeType.None => "end of document",
        _ => r.NodeType.ToString(),
    };

    private static string Trunc(string s) => s.Length <= 40 ? s : s[..40] + "…";
}

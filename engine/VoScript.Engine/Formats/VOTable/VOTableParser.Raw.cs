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

/// <summary>VOTableParser: raw sections (read past the XmlReader) and attributes.</summary>
internal sealed partial class VOTableParser
{
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
}

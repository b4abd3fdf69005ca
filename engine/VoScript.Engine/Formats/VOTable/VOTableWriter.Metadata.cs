using System.Globalization;
using System.Numerics;
using System.Text;
using System.Xml;
using VoScript.Engine.Model;

namespace VoScript.Engine.Formats.VOTable;

/// <summary>VOTableWriter: the metadata elements (DESCRIPTION, INFO, LINK, GROUP, FIELD/PARAM, VALUES).</summary>
public static partial class VOTableWriter
{
    private sealed partial class Writer
    {
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
    }
}

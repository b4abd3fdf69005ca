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

/// <summary>VOTableParser: the metadata elements (FIELD, PARAM, VALUES, LINK, INFO, GROUP).</summary>
internal sealed partial class VOTableParser
{
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

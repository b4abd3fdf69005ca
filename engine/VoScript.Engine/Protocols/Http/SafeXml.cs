using System.Xml;
using System.Xml.Linq;

namespace VoScript.Engine.Protocols.Http;

/// <summary>XML loading for service documents: no DTDs, no external resolution; elements matched by local name.</summary>
internal static class SafeXml
{
    public static XDocument Parse(string text)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            MaxCharactersFromEntities = 1024,
        };
        using var sr = new StringReader(text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n'));
        using var xr = XmlReader.Create(sr, settings);
        return XDocument.Load(xr);
    }

    public static IEnumerable<XElement> Children(this XElement e, string localName) =>
        e.Elements().Where(c => c.Name.LocalName == localName);

    public static XElement? Child(this XElement e, string localName) =>
        e.Elements().FirstOrDefault(c => c.Name.LocalName == localName);

    public static IEnumerable<XElement> DescendantsNamed(this XElement e, string localName) =>
        e.Descendants().Where(c => c.Name.LocalName == localName);

    public static string? ChildText(this XElement e, string localName)
    {
        var c = e.Child(localName);
        if (c is null) return null;
        if (c.Attributes().Any(a => a.Name.LocalName == "nil" && a.Value == "true")) return null;
        var v = c.Value.Trim();
        return v.Length == 0 ? null : v;
    }

    /// <summary>An attribute by local name, whatever its namespace (xlink:href, xsi:type, …).</summary>
    public static string? Attr(this XElement e, string localName) =>
        e.Attributes().FirstOrDefault(a => a.Name.LocalName == localName)?.Value;
}

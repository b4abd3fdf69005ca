using System.Text;
using System.Xml;

namespace VoScript.Server.Tap;

/// <summary>What every XML document of the service (UWS, VOSI, DALI examples and errors) is written with.</summary>
internal static class ServiceXml
{
    public const string Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    private static readonly XmlWriterSettings Settings = new() { Encoding = new UTF8Encoding(false), Indent = true, CloseOutput = false };

    /// <summary>An indented UTF-8 (no BOM) writer on <paramref name="s"/> that leaves the stream open.</summary>
    public static XmlWriter Open(Stream s) => XmlWriter.Create(s, Settings);
}

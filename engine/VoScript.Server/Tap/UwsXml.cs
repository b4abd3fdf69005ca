using System.Globalization;
using System.Xml;
using VoScript.Engine.Protocols.Tap;

namespace VoScript.Server.Tap;

/// <summary>UWS 1.1 documents: the job list and the job, and the time format they use.</summary>
internal static class UwsXml
{
    public const string Ns = "http://www.ivoa.net/xml/UWS/v1.0";
    public const string XLink = "http://www.w3.org/1999/xlink";
    public const string Xsi = ServiceXml.Xsi;

    public static string FormatTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static bool TryParseTime(string s, out DateTimeOffset t) =>
        DateTimeOffset.TryParse(s.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out t);

    /// <summary>A UWS 1.1 document on <paramref name="s"/> with its root element <paramref name="root"/> started.</summary>
    private static XmlWriter OpenRoot(Stream s, string root)
    {
        var w = ServiceXml.Open(s);
        w.WriteStartDocument();
        w.WriteStartElement("uws", root, Ns);
        w.WriteAttributeString("xmlns", "xlink", null, XLink);
        w.WriteAttributeString("xmlns", "xsi", null, Xsi);
        w.WriteAttributeString("version", "1.1");
        return w;
    }

    public static void WriteJobList(Stream s, IEnumerable<UwsJob> jobs, string jobListUrl)
    {
        using var w = OpenRoot(s, "jobs");
        foreach (var j in jobs)
        {
            lock (j.Sync)
            {
                w.WriteStartElement("uws", "jobref", Ns);
                w.WriteAttributeString("id", j.Id);
                w.WriteAttributeString("xlink", "type", XLink, "simple");
                w.WriteAttributeString("xlink", "href", XLink, jobListUrl + "/" + j.Id);
                w.WriteElementString("uws", "phase", Ns, j.Phase.Name());
                if (j.RunId is { } r) w.WriteElementString("uws", "runId", Ns, DaliError.XmlSafe(r));
                Nil(w, "ownerId");
                w.WriteElementString("uws", "creationTime", Ns, FormatTime(j.CreationTime));
                w.WriteEndElement();
            }
        }
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    public static void WriteJob(Stream s, UwsJob j, string jobUrl, DateTimeOffset now)
    {
        using var w = OpenRoot(s, "job");
        lock (j.Sync)
        {
            w.WriteElementString("uws", "jobId", Ns, j.Id);
            if (j.RunId is { } r) w.WriteElementString("uws", "runId", Ns, DaliError.XmlSafe(r));
            Nil(w, "ownerId");
            w.WriteElementString("uws", "phase", Ns, j.Phase.Name());
            w.WriteElementString("uws", "quote", Ns, FormatTime(j.Quote(now)));
            w.WriteElementString("uws", "creationTime", Ns, FormatTime(j.CreationTime));
            Time(w, "startTime", j.StartTime);
            Time(w, "endTime", j.EndTime);
            w.WriteElementString("uws", "executionDuration", Ns, ((long)j.ExecutionDuration.TotalSeconds).ToString(CultureInfo.InvariantCulture));
            w.WriteElementString("uws", "destruction", Ns, FormatTime(j.Destruction));
            WriteParameters(w, j);
            w.WriteStartElement("uws", "results", Ns);
            if (j.Phase == UwsPhase.Completed && j.ResultPath is not null)
            {
                w.WriteStartElement("uws", "result", Ns);
                w.WriteAttributeString("id", "result");
                w.WriteAttributeString("xlink", "type", XLink, "simple");
                w.WriteAttributeString("xlink", "href", XLink, jobUrl + "/results/result");
                w.WriteAttributeString("mime-type", j.ResultContentType);
                if (File.Exists(j.ResultPath)) w.WriteAttributeString("size", new FileInfo(j.ResultPath).Length.ToString(CultureInfo.InvariantCulture));
                w.WriteEndElement();
            }
            w.WriteEndElement();
            if (j.Phase == UwsPhase.Error && j.ErrorMessage is not null)
            {
                w.WriteStartElement("uws", "errorSummary", Ns);
                w.WriteAttributeString("type", "fatal");
                w.WriteAttributeString("hasDetail", "true");
                w.WriteElementString("uws", "message", Ns, DaliError.XmlSafe(j.ErrorMessage));
                w.WriteEndElement();
            }
        }
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    public static void WriteParameters(Stream s, UwsJob j)
    {
        using var w = ServiceXml.Open(s);
        w.WriteStartDocument();
        lock (j.Sync) WriteParameters(w, j, root: true);
        w.WriteEndDocument();
    }

    public static void WriteResults(Stream s, UwsJob j, string jobUrl)
    {
        using var w = ServiceXml.Open(s);
        w.WriteStartDocument();
        w.WriteStartElement("uws", "results", Ns);
        w.WriteAttributeString("xmlns", "xlink", null, XLink);
        lock (j.Sync)
        {
            if (j.Phase == UwsPhase.Completed && j.ResultPath is not null)
            {
                w.WriteStartElement("uws", "result", Ns);
                w.WriteAttributeString("id", "result");
                w.WriteAttributeString("xlink", "type", XLink, "simple");
                w.WriteAttributeString("xlink", "href", XLink, jobUrl + "/results/result");
                w.WriteEndElement();
            }
        }
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    private static void WriteParameters(XmlWriter w, UwsJob j, bool root = false)
    {
        w.WriteStartElement("uws", "parameters", Ns);
        if (root) w.WriteAttributeString("xmlns", "xsi", null, Xsi);
        foreach (var (name, value) in j.Parameters.All)
        {
            w.WriteStartElement("uws", "parameter", Ns);
            w.WriteAttributeString("id", name.ToLowerInvariant());
            w.WriteString(DaliError.XmlSafe(value));
            w.WriteEndElement();
        }
        foreach (var part in j.Parameters.InlineParts.Keys)
        {
            w.WriteStartElement("uws", "parameter", Ns);
            w.WriteAttributeString("id", part);
            w.WriteAttributeString("byReference", "true");
            w.WriteString("param:" + part);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void Nil(XmlWriter w, string name)
    {
        w.WriteStartElement("uws", name, Ns);
        w.WriteAttributeString("xsi", "nil", Xsi, "true");
        w.WriteEndElement();
    }

    private static void Time(XmlWriter w, string name, DateTimeOffset? t)
    {
        if (t is { } v) w.WriteElementString("uws", name, Ns, FormatTime(v));
        else Nil(w, name);
    }
}

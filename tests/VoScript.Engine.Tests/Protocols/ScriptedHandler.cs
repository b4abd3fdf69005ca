using System.Net;
using System.Text;

namespace VoScript.Engine.Tests.Protocols;

/// <summary>A request as the fake server saw it.</summary>
internal sealed record SeenRequest(string Method, Uri Url, string? Body, string? UserAgent, string? ContentType);

/// <summary>An in-memory HTTP server: a function from request to response, recording every request.</summary>
internal sealed class ScriptedHandler(Func<HttpRequestMessage, SeenRequest, int, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    private readonly object _lock = new();
    public List<SeenRequest> Seen { get; } = [];

    public ScriptedHandler(Func<SeenRequest, int, HttpResponseMessage> respond)
        : this((_, s, i, _) => Task.FromResult(respond(s, i))) { }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(ct);
        var seen = new SeenRequest(request.Method.Method, request.RequestUri!, body,
            request.Headers.UserAgent.ToString(), request.Content?.Headers.ContentType?.ToString());
        int index;
        lock (_lock) { Seen.Add(seen); index = Seen.Count - 1; }
        var resp = await respond(request, seen, index, ct);
        resp.RequestMessage = request;
        return resp;
    }

    public static HttpResponseMessage Text(HttpStatusCode status, string body, string mediaType = "text/xml")
    {
        return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
    }

    public static HttpResponseMessage Redirect(HttpStatusCode status, string location)
    {
        var r = new HttpResponseMessage(status) { Content = new StringContent("") };
        r.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
        return r;
    }
}

internal static class Docs
{
    public const string OkTable = """
        <?xml version="1.0" encoding="UTF-8"?>
        <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
          <RESOURCE type="results">
            <INFO name="QUERY_STATUS" value="OK"/>
            <TABLE>
              <FIELD name="id" datatype="int"/>
              <FIELD name="name" datatype="char" arraysize="*"/>
              <DATA><TABLEDATA>
                <TR><TD>1</TD><TD>a</TD></TR>
                <TR><TD>2</TD><TD>b</TD></TR>
                <TR><TD>3</TD><TD>c</TD></TR>
              </TABLEDATA></DATA>
            </TABLE>
          </RESOURCE>
        </VOTABLE>
        """;

    public const string OverflowTable = """
        <?xml version="1.0" encoding="UTF-8"?>
        <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
          <RESOURCE type="results">
            <INFO name="QUERY_STATUS" value="OK"/>
            <TABLE>
              <FIELD name="id" datatype="int"/>
              <DATA><TABLEDATA>
                <TR><TD>1</TD></TR>
                <TR><TD>2</TD></TR>
              </TABLEDATA></DATA>
            </TABLE>
            <INFO name="QUERY_STATUS" value="OVERFLOW"/>
          </RESOURCE>
        </VOTABLE>
        """;

    public static string ErrorDoc(string message) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3">
          <RESOURCE type="results">
            <INFO name="QUERY_STATUS" value="ERROR">{message}</INFO>
          </RESOURCE>
        </VOTABLE>
        """;

    public static string Job(string id, string phase, string results = "", string error = "") => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <uws:job version="1.1" xmlns:uws="http://www.ivoa.net/xml/UWS/v1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
          <uws:jobId>{id}</uws:jobId>
          <uws:ownerId xsi:nil="true"/>
          <uws:phase>{phase}</uws:phase>
          <uws:creationTime>2026-11-25T13:47:06</uws:creationTime>
          <uws:startTime xsi:nil="true"/>
          <uws:endTime xsi:nil="true"/>
          <uws:executionDuration>3600</uws:executionDuration>
          <uws:destruction>2026-11-27T13:47:06Z</uws:destruction>
          <uws:parameters><uws:parameter id="query">SELECT 1</uws:parameter></uws:parameters>
          <uws:results>{results}</uws:results>
          {error}
        </uws:job>
        """;
}

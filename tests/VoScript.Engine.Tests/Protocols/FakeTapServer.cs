using System.Net;
using System.Web;

namespace VoScript.Engine.Tests.Protocols;

/// <summary>
/// An in-memory TAP/UWS service for offline tests. Each GET of a job advances it
/// by <see cref="Advance"/>; tests set the phases, result names and faults.
/// </summary>
internal sealed class FakeTapServer
{
    public sealed class Job
    {
        public required string Id { get; init; }
        public string Phase { get; set; } = "PENDING";
        public int Polls { get; set; }
        public int RunRequests { get; set; }
        public bool Deleted { get; set; }
    }

    public const string Base = "http://fake.test/tap";
    public Dictionary<string, Job> Jobs { get; } = [];
    public ScriptedHandler Handler { get; }

    /// <summary>Moves a job on after a GET of it (default: QUEUED → EXECUTING → COMPLETED).</summary>
    public Action<Job> Advance { get; set; } = j => j.Phase = j.Phase switch
    {
        "QUEUED" => "EXECUTING",
        "EXECUTING" => "COMPLETED",
        _ => j.Phase,
    };

    /// <summary>What PHASE=RUN does (default: PENDING → QUEUED).</summary>
    public Action<Job> OnRun { get; set; } = j => { if (j.Phase is "PENDING" or "HELD") j.Phase = "QUEUED"; };

    public string ResultName { get; set; } = "result";
    public string ResultBody { get; set; } = Docs.OkTable;
    public string SyncBody { get; set; } = Docs.OkTable;
    public HttpStatusCode SyncStatus { get; set; } = HttpStatusCode.OK;
    public string SyncMediaType { get; set; } = "application/x-votable+xml";
    public string ErrorBody { get; set; } = Docs.ErrorDoc("Table 'nosuch' does not exist");
    /// <summary>Job documents carry the results of completed jobs (false: only /results has them).</summary>
    public bool ResultsInJobDocument { get; set; } = true;

    public FakeTapServer()
    {
        Handler = new ScriptedHandler(Respond);
    }

    public IEnumerable<SeenRequest> Requests => Handler.Seen;

    private int _next;

    private HttpResponseMessage Respond(SeenRequest r, int index)
    {
        var path = r.Url.AbsolutePath.TrimEnd('/');
        if (path == "/tap/sync") return ScriptedHandler.Text(SyncStatus, SyncBody, SyncMediaType);
        if (path == "/tap/async" && r.Method == "POST")
        {
            var id = "j" + (++_next);
            Jobs[id] = new Job { Id = id };
            return ScriptedHandler.Redirect(HttpStatusCode.SeeOther, Base + "/async/" + id);
        }
        if (path == "/tap/async" && r.Method == "GET")
            return ScriptedHandler.Text(HttpStatusCode.OK, "<uws:jobs xmlns:uws=\"http://www.ivoa.net/xml/UWS/v1.0\"/>");
        var parts = path.Split('/');
        if (parts.Length >= 4 && parts[2] == "async" && Jobs.TryGetValue(parts[3], out var job))
        {
            if (job.Deleted) return ScriptedHandler.Text(HttpStatusCode.NotFound, "no such job", "text/plain");
            var leaf = parts.Length > 4 ? string.Join('/', parts[4..]) : "";
            switch (r.Method, leaf)
            {
                case ("GET", ""):
                    var doc = ScriptedHandler.Text(HttpStatusCode.OK, JobDocument(job));
                    job.Polls++;
                    Advance(job);
                    return doc;
                case ("DELETE", ""):
                    job.Deleted = true;
                    return ScriptedHandler.Redirect(HttpStatusCode.SeeOther, Base + "/async");
                case ("POST", ""):
                    if (r.Body?.Contains("ACTION=DELETE") == true) { job.Deleted = true; }
                    return ScriptedHandler.Redirect(HttpStatusCode.SeeOther, Base + "/async");
                case ("POST", "phase"):
                    var phase = HttpUtility.ParseQueryString(r.Body ?? "")["PHASE"];
                    if (phase == "RUN") { job.RunRequests++; OnRun(job); }
                    if (phase == "ABORT" && job.Phase is not ("COMPLETED" or "ERROR")) job.Phase = "ABORTED";
                    return ScriptedHandler.Redirect(HttpStatusCode.SeeOther, Base + "/async/" + job.Id);
                case ("GET", "results"):
                    return ScriptedHandler.Text(HttpStatusCode.OK,
                        $"<uws:results xmlns:uws=\"http://www.ivoa.net/xml/UWS/v1.0\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">{ResultElement(job)}</uws:results>");
                case ("GET", "error"):
                    return ScriptedHandler.Text(HttpStatusCode.OK, ErrorBody);
                default:
                    if (r.Method == "GET" && leaf == "results/" + ResultName)
                        return ScriptedHandler.Text(HttpStatusCode.OK, ResultBody, "application/x-votable+xml");
                    break;
            }
        }
        return ScriptedHandler.Text(HttpStatusCode.NotFound, "not found: " + path, "text/plain");
    }

    private string ResultElement(Job job) => job.Phase == "COMPLETED"
        ? $"<uws:result id=\"{ResultName}\" xlink:href=\"{Base}/async/{job.Id}/results/{ResultName}\"/>"
        : "";

    private string JobDocument(Job job) => Docs.Job(job.Id, job.Phase,
        ResultsInJobDocument ? ResultElement(job) : "",
        job.Phase == "ERROR" ? "<uws:errorSummary type=\"fatal\" hasDetail=\"false\"><uws:message>summary only</uws:message></uws:errorSummary>" : "");
}

using System.Net;
using NUnit.Framework;
using VoScript.Engine.Protocols.Http;

namespace VoScript.Engine.Tests.Protocols;

public class HttpPipelineTests
{
    private static VoHttpClient Client(ScriptedHandler h, Action<ProtocolEvent>? onEvent = null, VoHttpOptions? o = null)
    {
        var c = new VoHttpClient(new VoHttpOptions
        {
            PrimaryHandler = h,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            RetryAfterCap = o?.RetryAfterCap ?? TimeSpan.FromSeconds(5),
            AttemptTimeout = o?.AttemptTimeout ?? TimeSpan.FromSeconds(10),
            ReadIdleTimeout = o?.ReadIdleTimeout ?? TimeSpan.FromSeconds(10),
            MaxRetries = o?.MaxRetries ?? 3,
            Verbose = o?.Verbose ?? false,
        });
        if (onEvent is not null) c.Events += onEvent;
        return c;
    }

    private static readonly Uri Url = new("http://service.test/tap/sync");

    [Test]
    public async Task ServiceUnavailableIsRetriedHonouringRetryAfter()
    {
        var h = new ScriptedHandler((_, i) =>
        {
            if (i > 0) return ScriptedHandler.Text(HttpStatusCode.OK, "ok", "text/plain");
            var r = ScriptedHandler.Text(HttpStatusCode.ServiceUnavailable, "busy", "text/plain");
            r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
            return r;
        });
        var events = new List<ProtocolEvent>();
        using var c = Client(h, events.Add);
        using var resp = await c.SendAsync(VoRequest.Get(Url), CancellationToken.None);
        Assert.That(resp.StatusCode, Is.EqualTo(200));
        Assert.That(h.Seen, Has.Count.EqualTo(2));
        var retry = events.OfType<RetryScheduled>().Single();
        Assert.That(retry.FromRetryAfter, Is.True);
        Assert.That(retry.Delay, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(retry.Reason, Does.Contain("503"));
    }

    [Test]
    public async Task RetryAfterIsCappedBySetting()
    {
        var h = new ScriptedHandler((_, i) =>
        {
            if (i > 0) return ScriptedHandler.Text(HttpStatusCode.OK, "ok", "text/plain");
            var r = ScriptedHandler.Text(HttpStatusCode.TooManyRequests, "slow down", "text/plain");
            r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromHours(1));
            return r;
        });
        var events = new List<ProtocolEvent>();
        using var c = Client(h, events.Add, new VoHttpOptions { RetryAfterCap = TimeSpan.FromMilliseconds(200) });
        using var resp = await c.SendAsync(VoRequest.Get(Url), CancellationToken.None);
        Assert.That(resp.StatusCode, Is.EqualTo(200));
        Assert.That(events.OfType<RetryScheduled>().Single().Delay, Is.EqualTo(TimeSpan.FromMilliseconds(200)));
    }

    [Test]
    public async Task RequestNotSafeToRepeatIsNotRetried()
    {
        var h = new ScriptedHandler((_, _) => ScriptedHandler.Text(HttpStatusCode.ServiceUnavailable, "busy", "text/plain"));
        using var c = Client(h);
        var req = new VoRequest(HttpMethod.Post, Url) { Form = [new("QUERY", "x")], Retryable = false };
        using var resp = await c.SendAsync(req, CancellationToken.None);
        Assert.That(resp.StatusCode, Is.EqualTo(503));
        Assert.That(h.Seen, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task ConnectionFailureIsRetriedForSafeRequests()
    {
        var h = new ScriptedHandler((_, _, i, _) => i == 0
            ? throw new HttpRequestException("Connection reset by peer")
            : Task.FromResult(ScriptedHandler.Text(HttpStatusCode.OK, "ok", "text/plain")));
        using var c = Client(h);
        using var resp = await c.SendAsync(VoRequest.PostForm(Url, [new("QUERY", "x")], retryable: true), CancellationToken.None);
        Assert.That(resp.StatusCode, Is.EqualTo(200));
        Assert.That(h.Seen, Has.Count.EqualTo(2));
        Assert.That(h.Seen[1].Body, Is.EqualTo("QUERY=x"), "the body is sent again on the retry");
    }

    [Test]
    public async Task PersistentConnectionFailureNamesTheUrl()
    {
        var h = new ScriptedHandler((_, _, _, _) => throw new HttpRequestException("Connection refused"));
        using var c = Client(h, o: new VoHttpOptions { MaxRetries = 1 });
        var e = await Assert.ThrowsAsync<ServiceException>(() => c.SendAsync(VoRequest.Get(Url), CancellationToken.None));
        Assert.That(e!.Message, Does.StartWith("Could not reach the service: Connection refused"));
        Assert.That(e.Message, Does.Contain("URL: http://service.test/tap/sync"));
        Assert.That(e.Message, Does.Contain("HTTP status: none (no response)"));
        Assert.That(e.IsTransient, Is.True);
        Assert.That(h.Seen, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task StalledResponseHitsAttemptTimeoutAndIsRetried()
    {
        var h = new ScriptedHandler(async (_, _, i, ct) =>
        {
            if (i == 0) await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return ScriptedHandler.Text(HttpStatusCode.OK, "ok", "text/plain");
        });
        var events = new List<ProtocolEvent>();
        using var c = Client(h, events.Add, new VoHttpOptions { AttemptTimeout = TimeSpan.FromMilliseconds(300) });
        using var resp = await c.SendAsync(VoRequest.Get(Url), CancellationToken.None);
        Assert.That(resp.StatusCode, Is.EqualTo(200));
        Assert.That(events.OfType<RetryScheduled>().Single().Reason, Does.Contain("no response within"));
    }

    [Test]
    public async Task SeeOtherAfterPostIsFollowedWithGet()
    {
        var h = new ScriptedHandler((s, i) => i == 0
            ? ScriptedHandler.Redirect(HttpStatusCode.SeeOther, "/tap/sync/42/run")
            : ScriptedHandler.Text(HttpStatusCode.OK, "done", "text/plain"));
        using var c = Client(h);
        using var resp = await c.SendAsync(VoRequest.PostForm(Url, [new("QUERY", "x")], true), CancellationToken.None);
        Assert.That(h.Seen.Select(s => s.Method), Is.EqualTo(new[] { "POST", "GET" }));
        Assert.That(h.Seen[1].Url.ToString(), Is.EqualTo("http://service.test/tap/sync/42/run"));
        Assert.That(h.Seen[1].Body, Is.Null);
        Assert.That(resp.Url.ToString(), Is.EqualTo("http://service.test/tap/sync/42/run"));
    }

    [Test]
    public async Task TemporaryRedirectAfterPostRepeatsThePost()
    {
        var h = new ScriptedHandler((s, i) => i == 0
            ? ScriptedHandler.Redirect(HttpStatusCode.Found, "https://service.test/tap/sync")
            : ScriptedHandler.Text(HttpStatusCode.OK, "done", "text/plain"));
        using var c = Client(h);
        using var resp = await c.SendAsync(VoRequest.PostForm(Url, [new("QUERY", "x")], true), CancellationToken.None);
        Assert.That(h.Seen[1].Method, Is.EqualTo("POST"));
        Assert.That(h.Seen[1].Body, Is.EqualTo("QUERY=x"));
    }

    [Test]
    public async Task RedirectIsNotFollowedWhenTheRequestSaysSo()
    {
        var h = new ScriptedHandler((_, _) => ScriptedHandler.Redirect(HttpStatusCode.SeeOther, "http://service.test/tap/async"));
        using var c = Client(h);
        using var resp = await c.SendAsync(new VoRequest(HttpMethod.Delete, new Uri("http://service.test/tap/async/1")) { FollowRedirects = false }, CancellationToken.None);
        Assert.That(resp.StatusCode, Is.EqualTo(303));
        Assert.That(h.Seen, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task UserAgentNamesVoScriptAndVersion()
    {
        var h = new ScriptedHandler((_, _) => ScriptedHandler.Text(HttpStatusCode.OK, "ok", "text/plain"));
        using var c = Client(h);
        using var resp = await c.SendAsync(VoRequest.Get(Url), CancellationToken.None);
        Assert.That(h.Seen[0].UserAgent, Does.Match(@"^VoScript/\d+\.\d+"));
    }

    [Test]
    public async Task VerboseModeLogsCurlWithoutCredentials()
    {
        var h = new ScriptedHandler((_, _) => ScriptedHandler.Text(HttpStatusCode.OK, "ok", "text/plain"));
        var events = new List<ProtocolEvent>();
        using var c = Client(h, events.Add, new VoHttpOptions { Verbose = true });
        var url = new Uri("http://alice:secret@service.test/tap/sync");
        using var resp = await c.SendAsync(VoRequest.PostForm(url, [new("LANG", "ADQL"), new("QUERY", "SELECT 'x'")], true), CancellationToken.None);
        var curl = events.OfType<RequestLogged>().Single().CurlCommand;
        Assert.That(curl, Does.StartWith("curl -sS -A 'VoScript/"));
        Assert.That(curl, Does.Contain("--data-urlencode 'LANG=ADQL' --data-urlencode 'QUERY=SELECT '\\''x'\\''' 'http://service.test/tap/sync'"));
        Assert.That(curl, Does.Not.Contain("secret"));
        Assert.That(curl, Does.Not.Contain("alice"));
    }

    [Test]
    public void CurlFormatterWritesMultipartFilesAndDelete()
    {
        var req = new VoRequest(HttpMethod.Post, Url) { Multipart = [new("UPLOAD", "t1,param:t1"), new("t1", null, [1, 2], "t1.xml", "application/x-votable+xml")] };
        Assert.That(CurlFormatter.Format(HttpMethod.Post, Url, req, "VoScript/1"),
            Is.EqualTo("curl -sS -A 'VoScript/1' -F 'UPLOAD=t1,param:t1' -F 't1=@t1.xml;type=application/x-votable+xml' 'http://service.test/tap/sync'"));
        Assert.That(CurlFormatter.Format(HttpMethod.Delete, Url, null, "VoScript/1"),
            Is.EqualTo("curl -sS -X DELETE -A 'VoScript/1' 'http://service.test/tap/sync'"));
    }

    [Test]
    public void CancellationIsNotTurnedIntoAServiceError()
    {
        var h = new ScriptedHandler(async (_, _, _, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return ScriptedHandler.Text(HttpStatusCode.OK, "ok", "text/plain");
        });
        using var c = Client(h);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.That(async () => await c.SendAsync(VoRequest.Get(Url), cts.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(h.Seen, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task StalledBodyRaisesStalledError()
    {
        var h = new ScriptedHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new StallingStream()) });
        using var c = Client(h, o: new VoHttpOptions { ReadIdleTimeout = TimeSpan.FromMilliseconds(200) });
        using var resp = await c.SendAsync(VoRequest.Get(Url), CancellationToken.None);
        var body = await resp.GetBodyAsync(CancellationToken.None);
        var buf = new byte[10];
        Assert.That(await body.ReadAsync(buf), Is.EqualTo(3));
        Assert.That(async () => await body.ReadAsync(buf), Throws.InstanceOf<ResponseStalledException>().With.Message.Contains("after 3 bytes"));
    }

    [Test]
    public async Task BytesReceivedEventMarksTheEnd()
    {
        var h = new ScriptedHandler((_, _) => ScriptedHandler.Text(HttpStatusCode.OK, new string('x', 1000), "text/plain"));
        var events = new List<ProtocolEvent>();
        using var c = Client(h, events.Add);
        using var resp = await c.SendAsync(VoRequest.Get(Url), CancellationToken.None);
        var text = await resp.ReadTextAsync(CancellationToken.None);
        Assert.That(text, Has.Length.EqualTo(1000));
        var last = events.OfType<BytesReceived>().Last();
        Assert.That(last.Complete, Is.True);
        Assert.That(last.Total, Is.EqualTo(1000));
        Assert.That(events.OfType<RequestStarted>().Count(), Is.EqualTo(1));
        Assert.That(events.OfType<RequestFinished>().Single().Status, Is.EqualTo(200));
    }

    [Test]
    public void AppendQueryKeepsParametersOfTheBaseUrl()
    {
        Assert.That(VoRequest.AppendQuery(new Uri("http://x.test/scs.xml?"), [new("RA", "1"), new("DEC", "2")]).ToString(),
            Is.EqualTo("http://x.test/scs.xml?RA=1&DEC=2"));
        Assert.That(VoRequest.AppendQuery(new Uri("http://x.test/cone?CAT=a"), [new("RA", "1")]).ToString(),
            Is.EqualTo("http://x.test/cone?CAT=a&RA=1"));
        Assert.That(VoRequest.AppendQuery(new Uri("http://x.test/q"), [new("POS", "CIRCLE 1 2 3")]).AbsoluteUri,
            Is.EqualTo("http://x.test/q?POS=CIRCLE%201%202%203"));
    }

    /// <summary>Gives 3 bytes, then never returns until cancelled.</summary>
    private sealed class StallingStream : Stream
    {
        private bool _sent;
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (!_sent) { _sent = true; "abc"u8.CopyTo(buffer.Span); return 3; }
            await Task.Delay(Timeout.Infinite, ct);
            return 0;
        }
        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

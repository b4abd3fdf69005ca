using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace VoScript.Engine.Protocols.Http;

/// <summary>Limits and behaviour of the HTTP pipeline; set by the host.</summary>
public sealed class VoHttpOptions
{
    /// <summary>Time allowed per attempt until the response headers arrive.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>A body that delivers no byte for this long is treated as a dropped connection.</summary>
    public TimeSpan ReadIdleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Retries after the first attempt, for requests that are safe to repeat.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>First back-off delay (exponential, with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait honoured from a Retry-After header (and longest back-off).</summary>
    public TimeSpan RetryAfterCap { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Redirects followed at most.</summary>
    public int MaxRedirects { get; init; } = 10;

    /// <summary>Log every request as an equivalent curl command (<see cref="RequestLogged"/> events).</summary>
    public bool Verbose { get; init; }

    /// <summary>The innermost handler; null builds a SocketsHttpHandler (tests inject their own).</summary>
    public HttpMessageHandler? PrimaryHandler { get; init; }

    /// <summary>The User-Agent header.</summary>
    public string UserAgent { get; init; } = DefaultUserAgent;

    /// <summary>VoScript's User-Agent (with its version).</summary>
    public static string DefaultUserAgent { get; } =
        "VoScript/" + (typeof(VoHttpOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
                       ?? typeof(VoHttpOptions).Assembly.GetName().Version?.ToString(3) ?? "0");
}

/// <summary>
/// The one HTTP pipeline of VoScript: a single HttpClient with a resilience
/// handler (per-attempt timeout, retries with jitter on connection failures,
/// 5xx, 408 and 429, honouring Retry-After up to a cap) for requests marked
/// safe to repeat; redirects handled here as the VO protocols need; gzip; a
/// VoScript User-Agent; progress events.
/// </summary>
public sealed class VoHttpClient : IDisposable
{
    internal static readonly HttpRequestOptionsKey<VoRequest> RequestKey = new("VoScript.Request");
    private static readonly HttpRequestOptionsKey<bool> RetryKey = new("VoScript.Retryable");
    private static readonly HttpRequestOptionsKey<TimeSpan> TimeoutKey = new("VoScript.AttemptTimeout");

    private readonly HttpClient _client;

    /// <summary>A client with <paramref name="options"/> (defaults when null).</summary>
    public VoHttpClient(VoHttpOptions? options = null)
    {
        Options = options ?? new VoHttpOptions();
        var primary = Options.PrimaryHandler ?? new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            UseCookies = false,
        };
        var events = new EventHandler(this) { InnerHandler = primary };
        var resilience = new ResilienceHandler(BuildPipeline()) { InnerHandler = events };
        _client = new HttpClient(resilience, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd(Options.UserAgent);
    }

    /// <summary>The client's options.</summary>
    public VoHttpOptions Options { get; }

    /// <summary>Progress, retries, job phases and (verbose) curl commands.</summary>
    public event Action<ProtocolEvent>? Events;

    internal void Raise(ProtocolEvent e) => Events?.Invoke(e);

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline()
    {
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(0, Options.MaxRetries),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = Options.RetryBaseDelay,
            MaxDelay = Options.RetryAfterCap,
            ShouldRetryAfterHeader = false,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Context, args.Outcome)),
            DelayGenerator = args => ValueTask.FromResult(RetryAfterDelay(args.Outcome)),
            OnRetry = args =>
            {
                var req = args.Context.GetRequestMessage();
                var fromHeader = RetryAfterDelay(args.Outcome) is not null;
                Raise(new RetryScheduled(req?.Method.Method ?? "?", req?.RequestUri ?? new Uri("about:blank"),
                    args.AttemptNumber + 1, args.RetryDelay, Describe(args.Outcome), fromHeader));
                return ValueTask.CompletedTask;
            },
        };
        var timeout = new HttpTimeoutStrategyOptions
        {
            TimeoutGenerator = args =>
            {
                var req = args.Context.GetRequestMessage();
                return ValueTask.FromResult(req is not null && req.Options.TryGetValue(TimeoutKey, out var t) ? t : Options.AttemptTimeout);
            },
        };
        return new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(retry)
            .AddTimeout(timeout)
            .Build();
    }

    private static bool ShouldRetry(ResilienceContext context, Outcome<HttpResponseMessage> outcome)
    {
        var req = context.GetRequestMessage();
        if (req is null || !req.Options.TryGetValue(RetryKey, out var ok) || !ok) return false;
        if (context.CancellationToken.IsCancellationRequested) return false;
        if (outcome.Exception is { } ex)
            return ex is TimeoutRejectedException || (ex is HttpRequestException or IOException && !IsCertificateRefused(ex));
        if (outcome.Result is { } r) return IsTransientStatus((int)r.StatusCode);
        return false;
    }

    /// <summary>
    /// The TLS certificate was refused (not trusted here, expired, or of another host name): asking again gives the same
    /// answer, so it is not retried.
    /// </summary>
    internal static bool IsCertificateRefused(Exception e) => e.GetBaseException() is System.Security.Authentication.AuthenticationException;

    /// <summary>5xx except 501/505, 408 and 429.</summary>
    public static bool IsTransientStatus(int status) =>
        status is 408 or 429 || (status >= 500 && status != 501 && status != 505);

    private TimeSpan? RetryAfterDelay(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Result?.Headers.RetryAfter is not { } ra) return null;
        TimeSpan? d = ra.Delta ?? (ra.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (d is null) return null;
        if (d < TimeSpan.Zero) d = TimeSpan.Zero;
        return d > Options.RetryAfterCap ? Options.RetryAfterCap : d;
    }

    private static string Describe(Outcome<HttpResponseMessage> o) => o switch
    {
        { Exception: TimeoutRejectedException t } => $"no response within {t.Timeout.TotalSeconds:0.#} s",
        { Exception: { } e } => e.GetBaseException().Message,
        { Result: { } r } => $"HTTP {(int)r.StatusCode} {r.ReasonPhrase}",
        _ => "unknown failure",
    };

    /// <summary>
    /// Sends a request and returns once the headers are in. Redirects are
    /// followed when <see cref="VoRequest.FollowRedirects"/> is set: 303 (and 301/302
    /// after GET) become a GET; 307/308, and 301/302 after POST, repeat the
    /// request at the new location. Failures to get any response become a
    /// <see cref="ServiceException"/>; HTTP error statuses are returned for the
    /// caller to interpret.
    /// </summary>
    internal async Task<VoHttpResponse> SendAsync(VoRequest request, CancellationToken ct)
    {
        var method = request.Method;
        var url = request.Url;
        var body = request;
        var retryable = request.Retryable;
        for (var hop = 0; ; hop++)
        {
            using var msg = new HttpRequestMessage(method, url);
            if (body is not null && method != HttpMethod.Get) msg.Content = body.BuildContent();
            msg.Options.Set(RequestKey, body ?? new VoRequest(method, url));
            msg.Options.Set(RetryKey, retryable);
            if (request.AttemptTimeout is { } at) msg.Options.Set(TimeoutKey, at);
            foreach (var (name, value) in request.Headers) msg.Headers.TryAddWithoutValidation(name, value);
            HttpResponseMessage resp;
            try
            {
                resp = await _client.SendAsync(msg, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (TimeoutRejectedException e)
            {
                throw new ServiceException($"The service did not answer within {e.Timeout.TotalSeconds:0.#} s.", url, null, null, inner: e) { IsTransient = true };
            }
            catch (HttpRequestException e) when (IsCertificateRefused(e))
            {
                throw new ServiceException($"The service's TLS certificate was refused: {e.GetBaseException().Message.TrimEnd('.')}. Check the host name in the URL; " +
                    "a service whose certificate comes from its own certificate authority needs that authority among this machine's trusted " +
                    "certificates (or in a file named by SSL_CERT_FILE).", url, null, null, inner: e);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                throw new ServiceException($"Could not reach the service: {e.GetBaseException().Message}", url, null, null, inner: e) { IsTransient = true };
            }

            var status = (int)resp.StatusCode;
            if (request.FollowRedirects && status is 301 or 302 or 303 or 307 or 308 && resp.Headers.Location is { } loc)
            {
                resp.Dispose();
                if (hop >= Options.MaxRedirects)
                    throw new ServiceException($"More than {Options.MaxRedirects} redirects.", url, status, null);
                url = loc.IsAbsoluteUri ? loc : new Uri(url, loc);
                if (status == 303 || (method == HttpMethod.Get))
                {
                    method = HttpMethod.Get;
                    body = null;
                    retryable = true;
                }
                continue;
            }
            return new VoHttpResponse(request.Method.Method, request.Url, url, resp, Options.ReadIdleTimeout, Raise);
        }
    }

    /// <summary>Releases the HTTP connections.</summary>
    public void Dispose() => _client.Dispose();

    /// <summary>Raises the started/finished (and curl) events for every attempt.</summary>
    private sealed class EventHandler(VoHttpClient owner) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var url = request.RequestUri!;
            owner.Raise(new RequestStarted(request.Method.Method, url));
            if (owner.Options.Verbose)
            {
                request.Options.TryGetValue(RequestKey, out var vr);
                owner.Raise(new RequestLogged(CurlFormatter.Format(request.Method, url, vr, owner.Options.UserAgent)));
            }
            var sw = Stopwatch.StartNew();
            try
            {
                var resp = await base.SendAsync(request, ct).ConfigureAwait(false);
                owner.Raise(new RequestFinished(request.Method.Method, url, (int)resp.StatusCode, sw.Elapsed));
                return resp;
            }
            catch (Exception e)
            {
                owner.Raise(new RequestFinished(request.Method.Method, url, null, sw.Elapsed, e.GetBaseException().Message));
                throw;
            }
        }
    }
}

/// <summary>A response whose headers are in; the body is read on demand.</summary>
internal sealed class VoHttpResponse : IDisposable
{
    private readonly HttpResponseMessage _message;
    private readonly TimeSpan _idle;
    private readonly Action<ProtocolEvent> _raise;
    private ResponseBody? _body;

    internal VoHttpResponse(string method, Uri requestUrl, Uri url, HttpResponseMessage message, TimeSpan idle, Action<ProtocolEvent> raise)
    {
        Method = method;
        RequestUrl = requestUrl;
        Url = url;
        _message = message;
        _idle = idle;
        _raise = raise;
    }

    /// <summary>The request method.</summary>
    public string Method { get; }
    /// <summary>The URL first asked for.</summary>
    public Uri RequestUrl { get; }
    /// <summary>The URL that answered (after redirects).</summary>
    public Uri Url { get; }
    /// <summary>The HTTP status code.</summary>
    public int StatusCode => (int)_message.StatusCode;
    /// <summary>A 2xx status.</summary>
    public bool IsSuccess => StatusCode is >= 200 and < 300;
    /// <summary>A 3xx status.</summary>
    public bool IsRedirect => StatusCode is >= 300 and < 400;

    /// <summary>The media type without parameters, lower case (e.g. <c>text/xml</c>).</summary>
    public string? MediaType => _message.Content.Headers.ContentType?.MediaType?.ToLowerInvariant();
    /// <summary>The response content type.</summary>
    public MediaTypeHeaderValue? ContentType => _message.Content.Headers.ContentType;

    /// <summary>The Location header, resolved against the request URL.</summary>
    public Uri? Location => _message.Headers.Location is { } l ? (l.IsAbsoluteUri ? l : new Uri(Url, l)) : null;

    /// <summary>The response headers.</summary>
    public HttpResponseHeaders Headers => _message.Headers;

    /// <summary>The Content-Length the server announced, if any.</summary>
    public long? ContentLength => _message.Content.Headers.ContentLength;

    /// <summary>The Content-Range of a partial (206) answer, if any.</summary>
    public ContentRangeHeaderValue? ContentRange => _message.Content.Headers.ContentRange;

    /// <summary>The body stream (counted, idle-timed, peekable).</summary>
    public async Task<ResponseBody> GetBodyAsync(CancellationToken ct)
    {
        if (_body is null)
        {
            var s = await _message.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            _body = new ResponseBody(s, Url, _idle, _raise);
        }
        return _body;
    }

    /// <summary>The body as text, at most <paramref name="maxChars"/> characters; never throws for a cut connection.</summary>
    public async Task<string> ReadTextAsync(CancellationToken ct, int maxChars = 1 << 20)
    {
        try
        {
            var b = await GetBodyAsync(ct).ConfigureAwait(false);
            return await b.ReadTextAsync(maxChars, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return "";
        }
    }

    /// <summary>Releases the response.</summary>
    public void Dispose()
    {
        _body?.Dispose();
        _message.Dispose();
    }
}

using System.Text.RegularExpressions;
using NUnit.Framework;
using VoScript.Engine.Protocols.Http;

namespace VoScript.Integration.Tests.Protocols;

/// <summary>The DaCHS rig of tests/dachs-rig: its TAP URL (env VOSCRIPT_DACHS_URL) and direct checks on the server.</summary>
public static partial class DachsRig
{
    public static Uri TapUrl { get; } = new((Environment.GetEnvironmentVariable("VOSCRIPT_DACHS_URL") ?? "http://localhost:8080/tap").TrimEnd('/'));

    public static Uri Origin => new(TapUrl.GetLeftPart(UriPartial.Authority));

    private static readonly HttpClient Direct = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private static bool? _up;

    /// <summary>Fails the test with a clear message when the rig is not running.</summary>
    public static void RequireUp()
    {
        _up ??= Probe();
        if (_up != true)
            Assert.Fail($"The DaCHS rig does not answer at {TapUrl}/capabilities. Start it with: sudo tests/dachs-rig/install.sh && sudo tests/dachs-rig/up.sh " +
                        "(or set VOSCRIPT_DACHS_URL to a running DaCHS TAP service).");
    }

    private static bool Probe()
    {
        try
        {
            using var r = Direct.GetAsync(TapUrl + "/capabilities").GetAwaiter().GetResult();
            return r.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public static VoHttpClient Client(List<ProtocolEvent>? events = null, VoHttpOptions? options = null)
    {
        var c = new VoHttpClient(options ?? new VoHttpOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(200) });
        if (events is not null) c.Events += e => { lock (events) events.Add(e); };
        return c;
    }

    /// <summary>The id at the end of a job URL.</summary>
    public static string JobId(Uri jobUrl) => jobUrl.AbsolutePath.TrimEnd('/').Split('/').Last();

    /// <summary>True when the job no longer exists on the server (the rig, or the TAP service <paramref name="tap"/>): 404 (or 410) on its URL and absent from the job list.</summary>
    public static async Task<bool> JobIsGone(string jobId, Uri? tap = null)
    {
        tap ??= TapUrl;
        using var job = await Direct.GetAsync($"{tap}/async/{jobId}");
        var list = await Direct.GetStringAsync($"{tap}/async");
        return job.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Gone
               && !list.Contains(jobId, StringComparison.Ordinal);
    }

    /// <summary>Ids in the server's job list (the rig's, or that of <paramref name="tap"/>), to show that a test left nothing behind.</summary>
    public static async Task<HashSet<string>> JobIds(Uri? tap = null)
    {
        var list = await Direct.GetStringAsync($"{tap ?? TapUrl}/async");
        return JobRefRegex().Matches(list).Select(m => m.Groups[1].Value).ToHashSet();
    }

    [GeneratedRegex("jobref[^>]*id=\"([^\"]+)\"")]
    private static partial Regex JobRefRegex();
}

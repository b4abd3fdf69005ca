using NUnit.Framework;
using VoScript.Integration.Tests.Protocols;
using VoScript.Integration.Tests.Serve;

namespace VoScript.Integration.Tests.Language;

/// <summary>
/// The two TAP services the language-level tests run against: the DaCHS rig ("dachs",
/// tests/dachs-rig) and <c>voscript serve</c> of the repository's sample field ("serve",
/// scripts/data/field, the same data and quirks). A test takes the name as a test-case
/// argument: <c>[TestCase("dachs")] [TestCase("serve")]</c>.
/// </summary>
public static class TapServers
{
    public const string Dachs = "dachs";
    public const string Serve = "serve";

    /// <summary>The TAP URL of the named server; fails the test with a clear message when it is not there.</summary>
    public static Uri Url(string server) => server switch
    {
        Dachs => RequireDachs(),
        Serve => ServeRig.TapUrl,
        _ => throw new ArgumentOutOfRangeException(nameof(server), server, "dachs or serve"),
    };

    private static Uri RequireDachs()
    {
        DachsRig.RequireUp();
        return DachsRig.TapUrl;
    }

    /// <summary>The --param that points scripts/local/*.vos at the named server (and seds.vos's list of archives at it).</summary>
    public static Dictionary<string, string> Params(string server)
    {
        var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "vos-archives-" + Guid.NewGuid().ToString("N"))).FullName;
        return new() { ["tap_url"] = Url(server).ToString(), ["archives_file"] = WriteArchives(dir, Url(server)) };
    }

    /// <summary>
    /// seds.vos's own list of archives in <paramref name="dir"/> (archives.csv, as scripts/main-job.sh writes it): the
    /// service under two spellings of its URL, and one that is not there. Returns its path.
    /// </summary>
    public static string WriteArchives(string dir, Uri tap)
    {
        var url = tap.ToString().TrimEnd('/');
        var path = Path.Combine(dir, "archives.csv");
        File.WriteAllText(path, $"short_name,access_url\nfield,{url}\nfield-again,{url.Replace("http://", "HTTP://", StringComparison.Ordinal)}/\n"
            + $"gone,{url[..url.LastIndexOf('/')]}/no/such/tap\n");
        return path;
    }

    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VoScript.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>
/// <c>voscript serve</c> of scripts/data/field (a <see cref="ServeProcess"/>), started on first use and shared by
/// every test that needs it; stopped when the test run ends (<see cref="ServeProcessBackstop"/>).
/// </summary>
public static class ServeRig
{
    private static readonly Lock Gate = new();
    private static ServeProcess? _process;
    private static string? _failure;

    /// <summary>The folder of the served field: catalogues, obscore.vot, spectra/, truth/.</summary>
    public static string FieldDirectory => Path.Combine(TapServers.RepoRoot, "scripts", "data", "field");

    /// <summary>The arguments after <c>voscript serve --port 0</c> for the sample field (the tables scripts/main-job.sh serves).</summary>
    public static string[] Arguments(string field) =>
    [
        "--table", Path.Combine(field, "cat_a.vot") + "=cat_a.main",
        "--table", Path.Combine(field, "cat_b.vot") + "=cat_b.main",
        "--table", Path.Combine(field, "cat_c.vot") + "=cat_c.main",
        "--obscore", Path.Combine(field, "obscore.vot"),
        // the upload-by-URL tests make the service fetch from its own loopback endpoint (refused by default)
        "--allow-local-uploads",
    ];

    /// <summary>The running server (started now if it is not yet); fails the test when it cannot start.</summary>
    internal static ServeProcess Process
    {
        get
        {
            lock (Gate)
            {
                if (_process is null && _failure is null)
                {
                    try { _process = Task.Run(() => ServeProcess.StartAsync(Arguments(FieldDirectory))).GetAwaiter().GetResult(); }
                    catch (ServeStartException e) { _failure = e.Message; }
                }
                if (_failure is not null) Assert.Fail(_failure);
                return _process!;
            }
        }
    }

    public static Uri TapUrl => new(Process.TapUrl);

    public static Uri Origin => new(TapUrl.GetLeftPart(UriPartial.Authority));
}

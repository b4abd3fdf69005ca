using System.Text;

namespace VoScript.Engine.Protocols.Samp;

/// <summary>
/// A SAMP Standard Profile lockfile (SAMP 1.3 §4.3): <c>key=value</c> lines,
/// <c>#</c> comments and blank lines ignored. Values may contain '='; only the
/// first '=' splits.
/// </summary>
public sealed class SampLockfile
{
    /// <summary>The lockfile key of the hub secret.</summary>
    public const string SecretKey = "samp.secret";
    /// <summary>The lockfile key of the hub's XML-RPC URL.</summary>
    public const string UrlKey = "samp.hub.xmlrpc.url";
    /// <summary>The lockfile key of the profile version.</summary>
    public const string VersionKey = "samp.profile.version";

    /// <summary>A lockfile's entries, read from <paramref name="path"/> if given.</summary>
    public SampLockfile(IReadOnlyDictionary<string, string> entries, string? path = null)
    {
        Entries = entries;
        Path = path;
    }

    /// <summary>Every key/value in file order (later duplicates win).</summary>
    public IReadOnlyDictionary<string, string> Entries { get; }

    /// <summary>Where it was read from, if from a file.</summary>
    public string? Path { get; }

    /// <summary>The hub secret.</summary>
    public string Secret => Entries[SecretKey];

    /// <summary>The hub's XML-RPC URL.</summary>
    public Uri HubUrl => new(Entries[UrlKey]);

    /// <summary>The SAMP profile version, or empty.</summary>
    public string ProfileVersion => Entries.GetValueOrDefault(VersionKey) ?? "";

    /// <summary>Parses lockfile text; missing required keys are an error naming them.</summary>
    public static SampLockfile Parse(string text, string? path = null)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#') || string.IsNullOrWhiteSpace(line)) continue;
            var eq = line.IndexOf('=');
            if (eq <= 0) continue; // not key=value: ignored, as other SAMP readers do
            var key = line[..eq].Trim();
            var value = line[(eq + 1)..];
            if (!IsKey(key)) continue;
            map[key] = value;
        }
        var where = path is null ? "SAMP lockfile" : $"SAMP lockfile {path}";
        var missing = new[] { SecretKey, UrlKey }.Where(k => !map.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new SampException($"{where} lacks {string.Join(" and ", missing)}; it is not a Standard Profile lockfile (or is still being written)");
        if (!Uri.TryCreate(map[UrlKey], UriKind.Absolute, out var u) || (u.Scheme != "http" && u.Scheme != "https"))
            throw new SampException($"{where}: {UrlKey} '{map[UrlKey]}' is not an http URL");
        return new SampLockfile(map, path);
    }

    private static bool IsKey(string k) =>
        k.Length > 0 && k.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-');

    /// <summary>Lockfile text with the required keys first, then the others.</summary>
    public static string Format(IEnumerable<KeyValuePair<string, string>> entries, string comment)
    {
        var sb = new StringBuilder();
        foreach (var c in comment.Split('\n')) sb.Append("# ").Append(c).Append('\n');
        foreach (var (k, v) in entries) sb.Append(k).Append('=').Append(v).Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// Where a client looks for the hub (SAMP 1.3 §4.3): <c>SAMP_HUB=std-lockurl:URL</c>
    /// if set, else <c>$HOME/.samp</c> (<c>%USERPROFILE%\.samp</c> on Windows).
    /// Only <c>file:</c> lock URLs are supported; <c>file://localhost/path</c> and
    /// <c>file:///path</c> both work.
    /// </summary>
    public static string LocatePath(string? sampHub, string? home)
    {
        if (!string.IsNullOrWhiteSpace(sampHub))
        {
            const string prefix = "std-lockurl:";
            if (!sampHub.StartsWith(prefix, StringComparison.Ordinal))
                throw new SampException($"SAMP_HUB='{sampHub}' is not understood: only 'std-lockurl:file:///path/to/lockfile' (Standard Profile) is supported");
            return FileUrlToPath(sampHub[prefix.Length..]);
        }
        if (string.IsNullOrEmpty(home))
            throw new SampException("cannot find the SAMP lockfile: neither SAMP_HUB nor a home directory is set");
        return System.IO.Path.Combine(home, ".samp");
    }

    /// <summary>The default lockfile location for this process (environment).</summary>
    public static string LocatePath() =>
        LocatePath(Environment.GetEnvironmentVariable("SAMP_HUB"), DefaultHome());

    /// <summary>The home directory the standard profile puts the lockfile in.</summary>
    public static string? DefaultHome() =>
        OperatingSystem.IsWindows()
            ? Environment.GetEnvironmentVariable("USERPROFILE")
            : Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    internal static string FileUrlToPath(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u))
            throw new SampException($"SAMP lock URL '{url}' is not a URL (expected file:///path/to/lockfile)");
        if (u.Scheme != Uri.UriSchemeFile)
            throw new SampException($"SAMP lock URL '{url}' is not a file: URL; only local lockfiles are supported");
        if (!u.IsLoopback && !string.IsNullOrEmpty(u.Host))
            throw new SampException($"SAMP lock URL '{url}' names host '{u.Host}'; only local lockfiles are supported");
        // file://localhost/p would become a UNC path; rebuild it without the host.
        return new Uri("file://" + u.AbsolutePath).LocalPath;
    }

    /// <summary>Reads and parses the lockfile at <paramref name="path"/>; null if there is none.</summary>
    public static SampLockfile? TryRead(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.Latin1);
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        catch (IOException e) { throw new SampException($"cannot read SAMP lockfile {path}: {e.Message}", e); }
        catch (UnauthorizedAccessException e) { throw new SampException($"cannot read SAMP lockfile {path}: {e.Message}", e); }
        return Parse(text, path);
    }
}

using System.Text;

namespace VoScript.Cli.Repl;

/// <summary>
/// Entries typed in earlier sessions and this one, kept in a file (one entry a
/// line; a multi-line entry has its newlines written as <c>\n</c> and
/// backslashes as <c>\\</c>). Up and Down walk it; the text being typed is kept
/// as the newest position.
/// </summary>
internal sealed class History
{
    public const int MaxEntries = 1000;
    private readonly List<string> _entries = [];
    private readonly string? _path;
    private int _position;
    private string _draft = "";

    /// <param name="path">the history file; null keeps history in memory only.</param>
    public History(string? path)
    {
        _path = path;
        if (path is not null && File.Exists(path))
        {
            try
            {
                foreach (var line in File.ReadAllLines(path))
                    if (line.Length > 0) _entries.Add(Decode(line));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // an unreadable history is not a reason to refuse to start
            }
        }
        if (_entries.Count > MaxEntries) _entries.RemoveRange(0, _entries.Count - MaxEntries);
        _position = _entries.Count;
    }

    /// <summary>Where the history is kept: <c>$XDG_CONFIG_HOME/voscript/history</c> (or <c>~/.config/voscript/history</c>).</summary>
    public static string DefaultPath()
    {
        var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(config)) config = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData);
        if (string.IsNullOrEmpty(config)) config = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(config, "voscript", "history");
    }

    public IReadOnlyList<string> Entries => _entries;

    /// <summary>Adds an entry (not a repeat of the last one) and saves the file.</summary>
    public void Add(string entry)
    {
        entry = entry.TrimEnd();
        _draft = "";
        if (entry.Length == 0) { _position = _entries.Count; return; }
        if (_entries.Count == 0 || _entries[^1] != entry) _entries.Add(entry);
        if (_entries.Count > MaxEntries) _entries.RemoveRange(0, _entries.Count - MaxEntries);
        _position = _entries.Count;
        Save();
    }

    /// <summary>The entry before the current one; null at the oldest. <paramref name="current"/> is kept as the draft when leaving it.</summary>
    public string? Previous(string current)
    {
        if (_position == 0) return null;
        if (_position == _entries.Count) _draft = current;
        return _entries[--_position];
    }

    /// <summary>The entry after the current one, or the draft when past the newest; null when already there.</summary>
    public string? Next()
    {
        if (_position >= _entries.Count) return null;
        _position++;
        return _position == _entries.Count ? _draft : _entries[_position];
    }

    private void Save()
    {
        if (_path is null) return;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            File.WriteAllLines(_path, _entries.Select(Encode));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // history is a convenience: a read-only home must not stop the REPL
        }
    }

    internal static string Encode(string entry) => entry.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    internal static string Decode(string line)
    {
        var sb = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length)
            {
                var n = line[++i];
                sb.Append(n == 'n' ? '\n' : n);
            }
            else sb.Append(line[i]);
        }
        return sb.ToString();
    }
}

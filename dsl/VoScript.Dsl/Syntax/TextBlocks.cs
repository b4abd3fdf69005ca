namespace VoScript.Dsl.Syntax;

/// <summary>Text of blocks in a script (ADQL, C#) as it is shown and sent.</summary>
internal static class TextBlocks
{
    /// <summary>The text without blank lines at either end, trailing blanks, or the indentation all its lines share.</summary>
    public static string Dedent(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[0].Length == 0) lines.RemoveAt(0);
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        var indent = lines.Where(l => l.Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l));
    }
}

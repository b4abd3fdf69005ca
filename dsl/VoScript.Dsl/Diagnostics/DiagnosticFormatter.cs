using System.Text;

namespace VoScript.Dsl.Diagnostics;

/// <summary>
/// Prints diagnostics the way compilers do:
/// <code>
/// seds.vos:14:7: error VOS0102: unknown table 'gdr' (did you mean 'gdr3'?)
///   save gdr to "x.vot"
///        ^^^
/// </code>
/// </summary>
public static class DiagnosticFormatter
{
    /// <param name="d">The diagnostic.</param>
    /// <param name="source">The text the spans point into; when null, only the first line is printed.</param>
    public static string Format(Diagnostic d, string? source)
    {
        var sb = new StringBuilder(d.ToString());
        if (source is null || d.Span.Length == 0 || d.Span.Start > source.Length) return sb.ToString();
        var lineStart = d.Span.Start;
        while (lineStart > 0 && source[lineStart - 1] != '\n') lineStart--;
        var lineEnd = source.IndexOf('\n', lineStart);
        if (lineEnd < 0) lineEnd = source.Length;
        var line = source[lineStart..lineEnd].TrimEnd('\r').Replace('\t', ' ');
        var column = d.Span.Start - lineStart;
        var length = Math.Max(1, Math.Min(d.Span.Length, Math.Max(1, line.Length - column)));
        sb.Append('\n').Append("  ").Append(line.TrimEnd());
        sb.Append('\n').Append("  ").Append(new string(' ', column)).Append(new string('^', length));
        return sb.ToString();
    }

    /// <summary>All diagnostics, each followed by a newline, in source order (errors and warnings mixed).</summary>
    public static string FormatAll(IEnumerable<Diagnostic> diagnostics, string? source)
    {
        var sb = new StringBuilder();
        foreach (var d in diagnostics) sb.Append(Format(d, source)).Append('\n');
        return sb.ToString();
    }
}

using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.Diagnostics;

/// <summary>How bad a diagnostic is.</summary>
public enum Severity
{
    /// <summary>The script cannot run.</summary>
    Error,
    /// <summary>The script runs, but something looks wrong.</summary>
    Warning,
}

/// <summary>A problem found in a script: where, how bad, which code, and what to do.</summary>
public sealed record Diagnostic(Severity Severity, SourceSpan Span, string Code, string Message)
{
    /// <summary>Whether this is an error.</summary>
    public bool IsError => Severity == Severity.Error;

    /// <summary>An error at <paramref name="span"/>.</summary>
    public static Diagnostic Error(SourceSpan span, string code, string message) => new(Severity.Error, span, code, message);

    /// <summary>A warning at <paramref name="span"/>.</summary>
    public static Diagnostic Warning(SourceSpan span, string code, string message) => new(Severity.Warning, span, code, message);

    /// <summary>The first line only: <c>file:line:col: error CODE: message</c>.</summary>
    /// <remarks>A span of length 0 with line 0 is not in a file (e.g. a --param value): then only the file name is printed.</remarks>
    public override string ToString() =>
        (Span.Line == 0 ? $"{Span.File}: " : $"{Span.File}:{Span.Line}:{Span.Column}: ") + $"{(IsError ? "error" : "warning")} {Code}: {Message}";
}

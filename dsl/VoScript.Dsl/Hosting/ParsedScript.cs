using System.Diagnostics.Metrics;
using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;
using VoScript.Engine;

namespace VoScript.Hosting;

/// <summary>
/// A script parsed once, to be compiled (cheaply, without parsing again) with as many parameter
/// sets as needed: <see cref="VoScriptHostLanguage.Compile(VoScriptHost, ParsedScript, IReadOnlyDictionary{string, string}?)"/>.
/// Immutable and safe to share between threads.
/// </summary>
public sealed class ParsedScript
{
    /// <summary>The name of the meter (<see cref="System.Diagnostics.Metrics"/>) the language reports on.</summary>
    public const string MeterName = "VoScript.Dsl";

    /// <summary>The counter (in <see cref="MeterName"/>) incremented each time script text is parsed.</summary>
    public const string ParseCounterName = "voscript.dsl.parses";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Parses = Meter.CreateCounter<long>(ParseCounterName, description: "script texts parsed");

    private ParsedScript(string text, string fileName, ParseResult result)
    {
        Text = text;
        FileName = fileName;
        Result = result;
        Diagnostics = result.Diagnostics.Select(ScriptDiagnostic.From).ToList();
        Parameters = result.Script.Statements.OfType<ParamStatement>().Select(p => p.Name.Text).ToList();
    }

    internal ParseResult Result { get; }

    /// <summary>The script text.</summary>
    public string Text { get; }

    /// <summary>The name used in messages (<c>field.vos</c>).</summary>
    public string FileName { get; }

    /// <summary>Syntax errors and warnings; the other checks run when the script is compiled.</summary>
    public IReadOnlyList<ScriptDiagnostic> Diagnostics { get; }

    /// <summary>Whether the script has syntax errors (then every compile reports them and makes no plan).</summary>
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>The names of the script's <c>param</c>s, in order: what a compile's parameter set may give.</summary>
    public IReadOnlyList<string> Parameters { get; }

    /// <summary>Parses <paramref name="text"/>. Never throws for anything a user can write: problems are in <see cref="Diagnostics"/>.</summary>
    public static ParsedScript Parse(string text, string fileName = "script")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        Parses.Add(1);
        return new ParsedScript(text, fileName, ScriptParser.Parse(text, fileName));
    }
}

/// <summary>How bad a <see cref="ScriptDiagnostic"/> is.</summary>
public enum ScriptDiagnosticSeverity
{
    /// <summary>The script cannot run.</summary>
    Error,
    /// <summary>The script runs, but probably not as meant.</summary>
    Warning,
}

/// <summary>A problem found in a script: where, how bad, which code (documented in the language's error list), and what to do.</summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="Code">The code, e.g. <c>VOS0101</c>.</param>
/// <param name="Message">What is wrong and what to do.</param>
/// <param name="File">The script's file name (or <c>command line</c> for a parameter value).</param>
/// <param name="Line">1-based line; 0 when not in the script (a parameter value).</param>
/// <param name="Column">1-based column; 0 when not in the script.</param>
public sealed record ScriptDiagnostic(ScriptDiagnosticSeverity Severity, string Code, string Message, string File, int Line, int Column)
{
    /// <summary>Whether it is an error.</summary>
    public bool IsError => Severity == ScriptDiagnosticSeverity.Error;

    internal static ScriptDiagnostic From(Diagnostic d) =>
        new(d.IsError ? ScriptDiagnosticSeverity.Error : ScriptDiagnosticSeverity.Warning, d.Code, d.Message, d.Span.File, d.Span.Line, d.Span.Column);

    /// <summary><c>file:line:col: error CODE: message</c>, as compilers print it.</summary>
    public override string ToString() =>
        (Line == 0 ? $"{File}: " : $"{File}:{Line}:{Column}: ") + $"{(IsError ? "error" : "warning")} {Code}: {Message}";
}

using VoScript.Dsl.Modules;
using VoScript.Engine;
using System.Text;
using VoScript.Dsl.Compiling;
using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Parsing;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Runtime;

namespace VoScript.Hosting;

/// <summary>What compiling a script with a parameter set gave: a plan when there were no errors, and every diagnostic.</summary>
public sealed class ScriptCompilation
{
    private readonly CompileResult _result;

    internal ScriptCompilation(CompileResult result)
    {
        _result = result;
        // a plan with csharp blocks brings the language's C# module: the host runs it without being told (compiling changes no host)
        Plan = result.Plan is null ? null
            : new HostPlan(result.Plan, result.Plan.Steps.Any(s => s is VoScript.Dsl.CSharp.CSharpStep) ? [new VoScript.Dsl.Modules.CSharpModule()] : []);
        Diagnostics = result.Diagnostics.Select(ScriptDiagnostic.From).ToList();
    }

    /// <summary>The plan to run; null when there are errors.</summary>
    public HostPlan? Plan { get; }

    /// <summary>Errors and warnings, sorted by position.</summary>
    public IReadOnlyList<ScriptDiagnostic> Diagnostics { get; }

    /// <summary>Whether there are errors (then <see cref="Plan"/> is null).</summary>
    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    /// <summary>The diagnostics as a compiler prints them, each with its source line and a caret.</summary>
    public string FormatDiagnostics() => _result.FormatDiagnostics();
}

/// <summary>The language side of a <see cref="VoScriptHost"/>: compile script text to plans the host runs.</summary>
public static class VoScriptHostLanguage
{
    /// <summary>Parses <paramref name="text"/> once (same as <see cref="ParsedScript.Parse"/>).</summary>
    public static ParsedScript Parse(this VoScriptHost host, string text, string fileName = "script")
    {
        ArgumentNullException.ThrowIfNull(host);
        return ParsedScript.Parse(text, fileName);
    }

    /// <summary>
    /// Compiles a parsed script with a parameter set (param name → value as script text: <c>"6 arcmin"</c>,
    /// <c>"\"M31\""</c> or <c>M31</c> for a string param), without parsing it again. The host's services, steps and
    /// C# setting apply. Never throws for anything a user can write: problems are diagnostics.
    /// </summary>
    public static ScriptCompilation Compile(this VoScriptHost host, ParsedScript script, IReadOnlyDictionary<string, string>? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(script);
        var parsed = WithHostServices(host, script.Result);
        var options = new CompileOptions { AllowCSharp = host.Options.AllowCSharp, HostSteps = host.HostSteps };
        return new ScriptCompilation(VoScriptCompiler.CompileParsed(parsed, script.Text, script.FileName, parameters, options));
    }

    /// <summary>The script with a <c>service</c> statement in front for each host service it does not declare itself.</summary>
    private static ParseResult WithHostServices(VoScriptHost host, ParseResult parsed)
    {
        if (host.Options.Services.Count == 0 || parsed.HasErrors) return parsed;
        var declared = parsed.Script.Statements.OfType<ServiceStatement>().Select(s => s.Name.Text).ToHashSet(StringComparer.Ordinal);
        var prelude = new StringBuilder();
        foreach (var s in host.Options.Services.Where(s => !declared.Contains(s.Name)))
            prelude.Append("service ").Append(s.Name).Append(" = ").Append(s.Protocol.Name())
                .Append(' ').Append(new StringValue(s.Url).ToCanonical()).Append('\n');
        if (prelude.Length == 0) return parsed;
        var services = ScriptParser.Parse(prelude.ToString(), "host services");
        if (services.HasErrors) // a service name the language cannot use as a name: say so as a diagnostic
            return parsed with { Diagnostics = [.. parsed.Diagnostics, .. services.Diagnostics] };
        return parsed with { Script = parsed.Script with { Statements = [.. services.Script.Statements, .. parsed.Script.Statements] } };
    }
}

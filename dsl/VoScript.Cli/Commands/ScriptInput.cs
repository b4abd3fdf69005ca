using VoScript.Dsl.Modules;
using System.CommandLine;
using VoScript.Dsl.Compiling;

namespace VoScript.Cli.Commands;

/// <summary>Shared by check, plan and run: reading scripts, --param values, exit codes.</summary>
internal static class ScriptInput
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Cancelled = 130;

    /// <summary>The text of a script file, or null after printing why it cannot be read.</summary>
    public static string? Read(string path, TextWriter error)
    {
        try
        {
            return VoScript.Engine.Formats.InputFile.ReadAllText(path);
        }
        catch (VoScript.Engine.VoScriptException e)
        {
            error.WriteLine($"voscript: {e.Message}");
            return null;
        }
    }

    /// <summary>NAME=VALUE pairs; null after printing the malformed one.</summary>
    public static Dictionary<string, string>? Parameters(IEnumerable<string>? pairs, TextWriter error)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs ?? [])
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                error.WriteLine($"voscript: --param needs NAME=VALUE, got '{pair}'");
                return null;
            }
            result[pair[..eq].Trim()] = pair[(eq + 1)..];
        }
        return result;
    }

    /// <summary>Prints the diagnostics (to <paramref name="error"/>) and returns the compile result.</summary>
    public static CompileResult Compile(string text, string fileName, IReadOnlyDictionary<string, string>? parameters, TextWriter error, bool allowCSharp = true)
    {
        var result = VoScriptCompiler.Compile(text, fileName, parameters, new CompileOptions { AllowCSharp = allowCSharp });
        // the native build cannot run C#: the JIT build takes the command over before anything is printed
        if (NativeBuild.IsNative && result.Diagnostics.Any(d => d.Code == VoScript.Dsl.Diagnostics.DiagnosticCodes.CSharpNeedsJit))
            throw new NativeBuild.HandOverException("csharp blocks");
        if (result.Diagnostics.Count > 0) error.Write(result.FormatDiagnostics());
        return result;
    }

    /// <summary><c>--no-csharp</c>, shared by run, check, plan and repl.</summary>
    public static Option<bool> NoCSharpOption() =>
        new("--no-csharp") { Description = "refuse csharp { … } blocks (C# runs with your full rights)" };

    /// <summary><c>--csharp-timeout SECONDS</c>, shared by run and repl.</summary>
    public static Option<double> CSharpTimeoutOption() =>
        CliOptions.Number("--csharp-timeout", "SECONDS", "stop a csharp block after this many seconds (default 60, at most a day)", 60.0, 0.0, 86_400.0, "seconds", minExclusive: true);

    /// <summary>The C# step module with the time limit given (seconds; at most a day).</summary>
    public static VoScript.Dsl.Modules.CSharpModule CSharpModule(double timeoutSeconds, VoScript.Dsl.CSharp.CSharpRuntime? runtime = null) =>
        new(new VoScript.Dsl.CSharp.CSharpRunOptions
        {
            Timeout = TimeSpan.FromSeconds(Math.Clamp(timeoutSeconds, 0.001, 86_400)),
            Runtime = runtime,
        });

    public static string Count(int n, string word) => n == 1 ? $"1 {word}" : $"{n} {word}s";
}

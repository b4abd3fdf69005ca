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
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"voscript: cannot read '{path}': {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message)}");
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
    public static CompileResult Compile(string text, string fileName, IReadOnlyDictionary<string, string>? parameters, TextWriter error)
    {
        var result = VoScriptCompiler.Compile(text, fileName, parameters);
        if (result.Diagnostics.Count > 0) error.Write(result.FormatDiagnostics());
        return result;
    }

    public static string Count(int n, string word) => n == 1 ? $"1 {word}" : $"{n} {word}s";
}

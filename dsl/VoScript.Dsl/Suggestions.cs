namespace VoScript.Dsl;

/// <summary>"Did you mean …?" by edit distance (the engine's, so that run-time messages suggest the same way).</summary>
internal static class Suggestions
{
    /// <inheritdoc cref="VoScript.Engine.Suggestions.Closest"/>
    public static string? Closest(string name, IEnumerable<string> candidates) => VoScript.Engine.Suggestions.Closest(name, candidates);

    /// <inheritdoc cref="VoScript.Engine.Suggestions.DidYouMean"/>
    public static string DidYouMean(string name, IEnumerable<string> candidates) => VoScript.Engine.Suggestions.DidYouMean(name, candidates);

    /// <inheritdoc cref="VoScript.Engine.Suggestions.Distance"/>
    public static int Distance(string a, string b) => VoScript.Engine.Suggestions.Distance(a, b);
}

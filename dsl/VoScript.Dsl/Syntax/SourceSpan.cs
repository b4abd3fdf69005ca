namespace VoScript.Dsl.Syntax;

/// <summary>Where a piece of source text is: file, 0-based offset and length, 1-based line and column of its start.</summary>
public readonly record struct SourceSpan(string File, int Start, int Length, int Line, int Column)
{
    /// <summary>The offset just after the span.</summary>
    public int End => Start + Length;

    /// <summary>From the start of <paramref name="first"/> to the end of <paramref name="last"/>.</summary>
    public static SourceSpan Cover(SourceSpan first, SourceSpan last) =>
        new(first.File, first.Start, Math.Max(first.Length, last.End - first.Start), first.Line, first.Column);

    /// <inheritdoc/>
    public override string ToString() => $"{File}:{Line}:{Column}";
}

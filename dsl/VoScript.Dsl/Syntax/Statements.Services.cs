namespace VoScript.Dsl.Syntax;

[StatementSyntax("service", "service NAME = tap|scs|sia|ssa|registry \"URL\"", "a VO service; nothing is contacted until it is used")]
internal sealed record ServiceStatement(SourceSpan Span, Identifier Name, Identifier Kind, Expression Url) : Statement(Span);

/// <summary>The three positional searches share one shape and one node.</summary>
internal enum PositionSearch
{
    Cone,
    Images,
    Spectra,
}

[StatementSyntax("cone", "cone SERVICE at RA, DEC radius ANGLE as NAME [maxrec N]", "Simple Cone Search around a position")]
[StatementSyntax("images", "images SERVICE at RA, DEC radius ANGLE as NAME [maxrec N]", "SIA2 image search around a position")]
[StatementSyntax("spectra", "spectra SERVICE at RA, DEC radius ANGLE as NAME [maxrec N]", "SSA spectrum search around a position")]
internal sealed record PositionSearchStatement(
    SourceSpan Span, PositionSearch Search, Identifier Service, Expression Ra, Expression Dec, Expression Radius,
    Identifier Output, Expression? MaxRec) : Statement(Span);

[StatementSyntax("find", "find services tap|scs|sia|ssa [in REGISTRY] [with table \"T\"] [keywords \"K\", ...] [waveband W, ...] as NAME",
    "ask a Registry (RegTAP) for services; the result is a service set for query each")]
internal sealed record FindServicesStatement(
    SourceSpan Span, Identifier Kind, Identifier? Registry, Expression? WithTable, IReadOnlyList<Expression> Keywords,
    IReadOnlyList<Identifier> Wavebands, Identifier Output) : Statement(Span);

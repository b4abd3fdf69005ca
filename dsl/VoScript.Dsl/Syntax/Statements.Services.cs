// each statement's syntax, declared once (StatementCatalog reads these)
[assembly: VoScript.Dsl.Syntax.StatementSyntax("service", "service NAME = tap|scs|sia|ssa|registry \"URL\"", "a VO service; nothing is contacted until it is used")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("cone", "cone SERVICE at RA, DEC radius ANGLE as NAME [maxrec N]", "Simple Cone Search around a position")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("images", "images SERVICE at RA, DEC radius ANGLE as NAME [maxrec N]", "SIA2 image search around a position")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("spectra", "spectra SERVICE at RA, DEC radius ANGLE as NAME [maxrec N]", "SSA spectrum search around a position")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("find", "find services tap|scs|sia|ssa [in REGISTRY] [with table \"T\"] [keywords \"K\", ...] [waveband W, ...] as NAME",
    "ask a Registry (RegTAP) for services; the result is a service set for query each")]

namespace VoScript.Dsl.Syntax;

internal sealed record ServiceStatement(SourceSpan Span, Identifier Name, Identifier Kind, Expression Url) : Statement(Span);

/// <summary>The three positional searches share one shape and one node.</summary>
internal enum PositionSearch
{
    Cone,
    Images,
    Spectra,
}

internal sealed record PositionSearchStatement(
    SourceSpan Span, PositionSearch Search, Identifier Service, Expression Ra, Expression Dec, Expression Radius,
    Identifier Output, Expression? MaxRec) : Statement(Span);

internal sealed record FindServicesStatement(
    SourceSpan Span, Identifier Kind, Identifier? Registry, Expression? WithTable, IReadOnlyList<Expression> Keywords,
    IReadOnlyList<Identifier> Wavebands, Identifier Output) : Statement(Span);

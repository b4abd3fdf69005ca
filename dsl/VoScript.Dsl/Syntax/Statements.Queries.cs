// each statement's syntax, declared once (StatementCatalog reads these)
[assembly: VoScript.Dsl.Syntax.StatementSyntax("query", "query SERVICE [sync|async] as NAME [maxrec N] [upload T [as NAME], ...] [on error continue] { ADQL }",
    "an ADQL query on a TAP service; ${name} puts a value into the ADQL; on error continue: an empty table and a warning if it fails")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("query each", "query each SERVICES [sync|async] as NAME [maxrec N] [upload T [as NAME], ...] [on error continue] { ADQL }",
    "the same query on every distinct access URL of a service set; results stacked, each row tagged with its service")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("await", "await NAME, ... [timeout DURATION] | await all [timeout DURATION]", "wait for the results of async queries")]

namespace VoScript.Dsl.Syntax;

/// <summary>A table sent with a query, seen by the query as <c>TAP_UPLOAD.As</c>.</summary>
internal sealed record UploadClause(SourceSpan Span, Identifier Table, Identifier? As) : Node(Span);

/// <summary>Part of an ADQL block: text or a <c>${…}</c> hole.</summary>
public abstract record AdqlPart(SourceSpan Span) : Node(Span);

internal sealed record AdqlText(SourceSpan Span, string Text) : AdqlPart(Span);

/// <summary><c>${expr}</c>; <see cref="InString"/> when it stands inside an ADQL string literal (<c>'%${name}%'</c>).</summary>
internal sealed record AdqlHole(SourceSpan Span, Expression Value) : AdqlPart(Span)
{
    public bool InString { get; init; }
}

/// <summary>The <c>{ … }</c> of a query: ADQL carried as text, not parsed, with interpolation holes.</summary>
public sealed record AdqlBlock(SourceSpan Span, IReadOnlyList<AdqlPart> Parts) : Node(Span);

/// <summary>The clauses between <c>as NAME</c> and the ADQL block.</summary>
internal sealed record QueryClauses(Expression? MaxRec, IReadOnlyList<UploadClause> Uploads, SourceSpan? ContinueOnError);

internal sealed record QueryStatement(
    SourceSpan Span, Identifier Service, Identifier? Mode, Identifier Output, QueryClauses Clauses, AdqlBlock Adql) : Statement(Span)
{
    public bool IsAsync => Mode?.Text == "async";
}

internal sealed record QueryEachStatement(
    SourceSpan Span, Identifier ServiceSet, Identifier? Mode, Identifier Output, QueryClauses Clauses, AdqlBlock Adql) : Statement(Span)
{
    public bool IsAsync => Mode?.Text == "async";
}

/// <summary>An <c>await</c> statement.</summary>
/// <param name="Span">Where it is in the script.</param>
/// <param name="Names">The async results waited for.</param>
/// <param name="All">The word <c>all</c>, if written.</param>
/// <param name="Timeout">The longest wait, if given.</param>
public sealed record AwaitStatement(SourceSpan Span, IReadOnlyList<Identifier> Names, Identifier? All, Expression? Timeout) : Statement(Span);

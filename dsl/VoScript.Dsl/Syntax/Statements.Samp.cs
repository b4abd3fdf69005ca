// each statement's syntax, declared once (StatementCatalog reads these)
[assembly: VoScript.Dsl.Syntax.StatementSyntax("send", "send T, ... to CLIENT [as table|spectra|image]",
    "SAMP: send tables (table.load.votable), or one spectrum.load.ssa-generic / image.load.fits per row of a table of access URLs; CLIENT is a samp.name or all")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("receive", "receive table [from CLIENT] [timeout DURATION] as NAME",
    "SAMP: wait for a table another client sends to voscript (table.load.votable) and name it")]
[assembly: VoScript.Dsl.Syntax.StatementSyntax("point", "point CLIENT at RA, DEC", "SAMP: point a client (or all) at a sky position (coord.pointAt.sky)")]

namespace VoScript.Dsl.Syntax;

/// <summary>What <c>send</c> sends: whole tables, or one message per row of a table of access URLs.</summary>
internal enum SendForm
{
    Table,
    Spectra,
    Image,
}

/// <summary>
/// A SAMP client as written: a bare word (a samp.name in any case), a string for names
/// that are not words (<c>"SPLAT-VO"</c>), or <c>all</c>.
/// </summary>
internal sealed record SampClientName(SourceSpan Span, string Name, bool IsAll) : Node(Span);

internal sealed record SendStatement(SourceSpan Span, IReadOnlyList<Identifier> Tables, SampClientName Client, Identifier? Form) : Statement(Span)
{
    public SendForm SendForm => Form?.Text switch
    {
        "spectra" => SendForm.Spectra,
        "image" => SendForm.Image,
        _ => SendForm.Table,
    };
}

internal sealed record ReceiveStatement(SourceSpan Span, SampClientName? From, Expression? Timeout, Identifier Output) : Statement(Span);

internal sealed record PointStatement(SourceSpan Span, SampClientName Client, Expression Ra, Expression Dec) : Statement(Span);

using System.Globalization;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Runtime;

namespace VoScript.Dsl.CSharp;

/// <summary>A <c>csharp { … }</c> block in a plan: the compiled block it runs, and the name its result gets.</summary>
internal sealed record CSharpStep : PlanStep
{
    public required string Code { get; init; }
    public string? Output { get; init; }
    public required CSharpBlockInfo Block { get; init; }

    /// <summary>The size of the submission array of the block's chain.</summary>
    public int Slots { get; init; }

    /// <summary>The script file as the compiler named it (C# stack traces carry it).</summary>
    public required string SourceFile { get; init; }

    public int Line { get; init; }

    public override string Kind => "csharp";

    public override IEnumerable<string> Outputs => Output is null ? [] : [Output];
    public override IEnumerable<string> Inputs => Block.Reads;

    public override string Describe()
    {
        var lines = TextBlocks.Dedent(Code).Split('\n').Length;
        var result = Block.Kind switch
        {
            CSharpResultKind.Table => "table",
            CSharpResultKind.None => null,
            _ => Block.ResultType,
        };
        return $"csharp ({lines.ToString(CultureInfo.InvariantCulture)} line{(lines == 1 ? "" : "s")})"
            + (Output is null ? "" : $" as {Output}") + (Output is null || result is null ? "" : $" ({result})");
    }

    public override IEnumerable<string> Details() => TextBlocks.Dedent(Code).Split('\n');
}

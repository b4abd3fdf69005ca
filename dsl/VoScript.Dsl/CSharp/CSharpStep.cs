using System.Globalization;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Runtime;

namespace VoScript.Dsl.CSharp;

/// <summary>A <c>csharp { … }</c> block in a plan: the compiled block it runs, and the name its result gets.</summary>
public sealed record CSharpStep : PlanStep
{
    /// <summary>The C# source of the block.</summary>
    public required string Code { get; init; }
    /// <summary>The workspace name the result goes to, if any.</summary>
    public string? Output { get; init; }
    /// <summary>What the check-time analysis found out about the block.</summary>
    public required CSharpBlockInfo Block { get; init; }

    /// <summary>The size of the submission array of the block's chain.</summary>
    public int Slots { get; init; }

    /// <summary>The script file as the compiler named it (C# stack traces carry it).</summary>
    public required string SourceFile { get; init; }

    /// <summary>The script line the block starts on (for messages).</summary>
    public int Line { get; init; }

    /// <inheritdoc/>
    public override string Kind => "csharp";

    /// <inheritdoc/>
    public override IEnumerable<string> Outputs => Output is null ? [] : [Output];
    /// <inheritdoc/>
    public override IEnumerable<string> Inputs => Block.Reads;

    /// <inheritdoc/>
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

    /// <inheritdoc/>
    public override IEnumerable<string> Details() => TextBlocks.Dedent(Code).Split('\n');
}

using System.Text;
using System.Globalization;
using VoScript.Dsl.CSharp;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Runtime;

namespace VoScript.Dsl.Compiling;

/// <summary>
/// Pass 4 of the compiler: the Plan (the engine's <c>PlanBuilder</c> is the other way to make one, in C#, without the language). One step per statement that does something (services are
/// not steps); each statement's step comes from its module's rules
/// (<see cref="IStatementRules.Plan"/>); the engine's <see cref="DependencyTracker"/> computes
/// what each waits for: the steps that make what it reads; steps with visible effects (print,
/// show, save) also keep their order and wait for every earlier step except async queries
/// that are not awaited yet: that is what lets async queries run in parallel while the script
/// still reads top to bottom; a load waits for the previous effect (a file saved before it), so
/// loads in a row run in parallel.
/// </summary>
internal static class PlanPass
{
    public static Plan Build(Script script, string fileName, SymbolTable symbols, ValueTable values,
        IReadOnlyDictionary<string, AwaitStatement> awaitedBy, CSharpAnalysis? csharp = null, string? sourceFile = null)
    {
        var services = new List<PlanService>();
        var steps = new List<PlanStep>();
        var dependencies = new DependencyTracker();
        var next = 1;

        foreach (var statement in script.Statements)
        {
            var id = "s" + next;
            var context = new PlanContext(services)
            {
                Id = id, Symbols = symbols, Values = values, AwaitedBy = awaitedBy, PendingAsync = dependencies.PendingAsync, CSharp = csharp,
                FileName = fileName, SourceFile = sourceFile ?? fileName,
            };
            if (StatementRulesCatalog.For(statement).Plan(statement, context) is not { } planned) continue;

            var step = planned.Step with
            {
                DependsOn = dependencies.Add(id, planned.Reads, planned.Step.Outputs, planned.Traits, planned.Chain),
                Origin = $"{fileName}:{statement.Span.Line}",
            };
            steps.Add(step);
            next++;
        }
        return new Plan(services, steps, fileName);
    }

    /// <summary>The ADQL with each hole replaced by its value's ADQL form, de-indented, blank edge lines dropped.</summary>
    public static string Interpolate(AdqlBlock block, ValueTable values)
    {
        var sb = new StringBuilder();
        foreach (var part in block.Parts)
            sb.Append(part switch
            {
                AdqlText t => t.Text,
                AdqlHole { InString: true } h => values[h.Value] switch
                {
                    StringValue v => v.Value.Replace("'", "''", StringComparison.Ordinal),
                    var v => v.ToAdql(),
                },
                AdqlHole h => values[h.Value].ToAdql(),
                _ => "",
            });
        return TextBlocks.Dedent(sb.ToString());
    }
}

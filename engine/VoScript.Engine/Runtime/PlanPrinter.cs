using System.Text;

namespace VoScript.Engine.Runtime;

/// <summary>
/// The canonical text form of a plan: services, then steps in order, each with
/// its dependencies and details (the ADQL after interpolation). Stable, so it
/// serves golden tests and <c>voscript plan</c>.
/// </summary>
public static class PlanPrinter
{
    /// <summary>The plan in its canonical text form (as <c>voscript plan</c> prints it).</summary>
    public static string Print(Plan plan)
    {
        var sb = new StringBuilder();
        sb.Append("plan").Append(plan.Name is null ? "" : " " + plan.Name).Append('\n');
        sb.Append("services:").Append(plan.Services.Count == 0 ? " none\n" : "\n");
        var width = plan.Services.Count == 0 ? 0 : plan.Services.Max(s => s.Name.Length);
        foreach (var s in plan.Services)
            sb.Append("  ").Append(s.Name.PadRight(width)).Append(' ')
              .Append(s.Kind.Name().PadRight(8)).Append(' ').Append(new StringValue(s.Url).ToCanonical()).Append('\n');
        sb.Append("steps:").Append(plan.Steps.Count == 0 ? " none\n" : "\n");
        var idWidth = plan.Steps.Count == 0 ? 0 : plan.Steps.Max(s => s.Id.Length);
        foreach (var step in plan.Steps)
        {
            sb.Append("  ").Append(step.Id.PadRight(idWidth)).Append("  ").Append(step.Describe());
            if (step.Origin is not null) sb.Append("  [").Append(step.Origin).Append(']');
            sb.Append('\n');
            var indent = new string(' ', idWidth + 4);
            if (step.DependsOn.Count > 0)
                sb.Append(indent).Append("after ").Append(string.Join(", ", step.DependsOn)).Append('\n');
            foreach (var line in step.Details())
                sb.Append(indent).Append(line.Length == 0 ? "|" : "| " + line).Append('\n');
        }
        return sb.ToString();
    }
}

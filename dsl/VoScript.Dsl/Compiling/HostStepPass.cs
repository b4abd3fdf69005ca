using VoScript.Dsl.Diagnostics;
using VoScript.Dsl.Syntax;
using VoScript.Hosting;
using VoScript.Engine;

namespace VoScript.Dsl.Compiling;

/// <summary>
/// Checks each <c>run</c> statement against the step the host registered: the kind exists,
/// every argument is a declared parameter of the right kind (a table name for table parameters),
/// required ones are given, and <c>as NAME</c> is there exactly when the step makes a table.
/// </summary>
internal static class HostStepPass
{
    public static void Run(Script script, SymbolTable symbols, ValueTable values, IReadOnlyDictionary<string, IHostStep> hostSteps, List<Diagnostic> diagnostics)
    {
        foreach (var r in script.Statements.OfType<RunStatement>())
        {
            if (!hostSteps.TryGetValue(r.Kind.Text, out var step))
            {
                diagnostics.Add(Diagnostic.Error(r.Kind.Span, DiagnosticCodes.UnknownHostStep,
                    $"this host has no step '{r.Kind.Text}'" + (hostSteps.Count == 0
                        ? "; 'run' is for steps a host program registers (the voscript command registers none)"
                        : Suggestions.Closest(r.Kind.Text, hostSteps.Keys) is { } s ? $" (did you mean '{s}'?)" : $"; it has {string.Join(", ", hostSteps.Keys.Order(StringComparer.Ordinal))}")));
                continue;
            }
            var given = new HashSet<string>(StringComparer.Ordinal);
            var suggested = new HashSet<string>(StringComparer.Ordinal); // a misspelt argument: its parameter is not also reported missing
            foreach (var a in r.Arguments)
            {
                var p = step.Parameters.FirstOrDefault(x => x.Name == a.Name.Text);
                if (p is null)
                {
                    var names = step.Parameters.Select(x => x.Name).ToList();
                    var closest = Suggestions.Closest(a.Name.Text, names);
                    if (closest is not null) suggested.Add(closest);
                    diagnostics.Add(Diagnostic.Error(a.Name.Span, DiagnosticCodes.BadHostArgument,
                        $"'{step.Kind}' has no parameter '{a.Name.Text}'" + (closest is { } s ? $" (did you mean '{s}'?)"
                            : names.Count == 0 ? " (it takes none)" : $"; it takes {string.Join(", ", names)}")));
                    continue;
                }
                if (!given.Add(p.Name))
                {
                    diagnostics.Add(Diagnostic.Error(a.Name.Span, DiagnosticCodes.BadHostArgument, $"'{p.Name}' is given twice"));
                    continue;
                }
                var isTable = a.Value is NameReference n && symbols.Find(n.Name.Text)?.Kind == SymbolKind.Table;
                if (p.Kind == HostValueKind.Table)
                {
                    if (!isTable)
                        diagnostics.Add(Diagnostic.Error(a.Value.Span, DiagnosticCodes.BadHostArgument,
                            $"'{p.Name}' of '{step.Kind}' takes a table name" + (p.Description is null ? "" : $" ({p.Description})")));
                }
                else if (isTable)
                    diagnostics.Add(Diagnostic.Error(a.Value.Span, DiagnosticCodes.BadHostArgument,
                        $"'{p.Name}' of '{step.Kind}' takes {HostStepRules.Describe(p.Kind)}, not the table '{((NameReference)a.Value).Name.Text}'"));
                else if (values.OfExpression.TryGetValue(a.Value, out var v) && !HostStepRules.Fits(p.Kind, v))
                    diagnostics.Add(Diagnostic.Error(a.Value.Span, DiagnosticCodes.BadHostArgument,
                        $"'{p.Name}' of '{step.Kind}' takes {HostStepRules.Describe(p.Kind)}, found {v.ToCanonical()}"));
            }
            var missing = step.Parameters.Where(p => p.Required && !suggested.Contains(p.Name) && !r.Arguments.Any(a => a.Name.Text == p.Name)).Select(p => p.Name).ToList();
            if (missing.Count > 0)
                diagnostics.Add(Diagnostic.Error(r.Kind.Span, DiagnosticCodes.BadHostArgument,
                    $"'{step.Kind}' needs {string.Join(", ", missing.Select(m => $"'{m} = …'"))}"));
            if (step.ProducesTable && r.Output is null)
                diagnostics.Add(Diagnostic.Error(r.Kind.Span, DiagnosticCodes.BadHostArgument, $"'{step.Kind}' makes a table: end the statement with 'as NAME'"));
            else if (!step.ProducesTable && r.Output is { } o)
                diagnostics.Add(Diagnostic.Error(o.Span, DiagnosticCodes.BadHostArgument, $"'{step.Kind}' makes no table, so it takes no 'as {o.Text}'"));
        }
    }
}

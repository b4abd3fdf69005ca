using System.Text;
using VoScript.Dsl.CSharp;
using VoScript.Dsl.Syntax;
using VoScript.Engine.Plans;

namespace VoScript.Dsl.Compiling;

/// <summary>
/// Pass 4: the Plan. One step per statement that does something (services are
/// not steps). A step depends on the steps that make what it reads. Steps with
/// visible effects (print, show, load, save) also keep their order and wait
/// for every earlier step except async queries that are not awaited yet:
/// that is what lets async queries run in parallel while the script still
/// reads top to bottom.
/// </summary>
internal static class PlanBuilder
{
    public static Plan Build(Script script, string fileName, SymbolTable symbols, ValueTable values,
        IReadOnlyDictionary<string, AwaitStatement> awaitedBy, CSharpAnalysis? csharp = null, string? sourceFile = null)
    {
        string? lastCSharp = null; // the step of the previous csharp block
        var services = new List<PlanService>();
        var steps = new List<PlanStep>();
        var producer = new Dictionary<string, string>(StringComparer.Ordinal); // name → step id
        var settledSinceEffect = new List<string>();
        var pendingAsync = new Dictionary<string, string>(StringComparer.Ordinal); // table → step id
        string? lastEffect = null;
        var next = 1;

        foreach (var statement in script.Statements)
        {
            var id = "s" + next;
            var origin = $"{fileName}:{statement.Span.Line}";
            IEnumerable<string> reads = [];
            PlanStep? step = null;
            var isEffect = false;
            var isAsync = false;
            switch (statement)
            {
                case ServiceStatement sv:
                    services.Add(new PlanService(sv.Name.Text, Enum.Parse<ServiceProtocol>(sv.Kind.Text, ignoreCase: true), ((StringValue)values[sv.Url]).Value));
                    break;
                case ParamStatement p:
                    step = new ParamStep { Id = id, Name = p.Name.Text, Value = values.ByName[p.Name.Text] };
                    reads = SyntaxWalk.Names(p.Value).Select(n => n.Text);
                    break;
                case LetStatement l:
                    step = new LetStep { Id = id, Name = l.Name.Text, Value = values.ByName[l.Name.Text] };
                    reads = SyntaxWalk.Names(l.Value).Select(n => n.Text);
                    break;
                case PrintStatement { Value: NameReference n } when symbols.Find(n.Name.Text)?.Kind == SymbolKind.Table:
                    step = new PrintStep { Id = id, Table = n.Name.Text };
                    reads = [n.Name.Text];
                    isEffect = true;
                    break;
                case PrintStatement { Value: NameReference rv } when symbols.Find(rv.Name.Text)?.IsRuntimeValue == true:
                    step = new PrintStep { Id = id, Value = rv.Name.Text };
                    reads = [rv.Name.Text];
                    isEffect = true;
                    break;
                case CSharpStatement cs when csharp?.Of(cs) is { } block:
                    step = new CSharpStep
                    {
                        Id = id, Code = cs.Code.Text, Output = cs.Output?.Text, Block = block, Slots = csharp.Slots,
                        SourceFile = sourceFile ?? fileName, Line = cs.Span.Line,
                    };
                    // blocks run in order (they share one chain of submissions) and may do anything, so they are effects
                    reads = block.Reads;
                    isEffect = true;
                    break;
                case PrintStatement pr:
                    step = new PrintStep { Id = id, Text = values[pr.Value].ToDisplay() };
                    reads = SyntaxWalk.Names(pr.Value).Select(x => x.Text);
                    isEffect = true;
                    break;
                case QueryStatement q:
                    step = new QueryStep
                    {
                        Id = id, Service = q.Service.Text, Output = q.Output.Text, Async = q.IsAsync,
                        MaxRec = Count(q.Clauses.MaxRec, values), Uploads = Uploads(q.Clauses), Adql = Interpolate(q.Adql, values),
                        Timeout = Timeout(q.Output.Text, awaitedBy, values),
                    };
                    reads = q.Clauses.Uploads.Select(u => u.Table.Text).Concat(ValueNames(q.Clauses.MaxRec, q.Adql));
                    isAsync = q.IsAsync;
                    break;
                case QueryEachStatement q:
                    step = new QueryEachStep
                    {
                        Id = id, ServiceSet = q.ServiceSet.Text, Output = q.Output.Text, Async = q.IsAsync,
                        MaxRec = Count(q.Clauses.MaxRec, values), Uploads = Uploads(q.Clauses), Adql = Interpolate(q.Adql, values),
                        Timeout = Timeout(q.Output.Text, awaitedBy, values), ContinueOnServiceError = q.Clauses.ContinueOnError is not null,
                    };
                    reads = new[] { q.ServiceSet.Text }.Concat(q.Clauses.Uploads.Select(u => u.Table.Text)).Concat(ValueNames(q.Clauses.MaxRec, q.Adql));
                    isAsync = q.IsAsync;
                    break;
                case AwaitStatement a:
                    var names = a.All is not null ? pendingAsync.Keys.ToList() : a.Names.Select(x => x.Text).ToList();
                    if (names.Count == 0) break; // 'await all' with nothing pending: no step (a warning says so)
                    step = new AwaitStep
                    {
                        Id = id, Tables = names,
                        Timeout = a.Timeout is null ? null : ((NumberValue)values[a.Timeout]).AsTimeSpan(),
                    };
                    reads = names;
                    foreach (var name in names) pendingAsync.Remove(name);
                    break;
                case PositionSearchStatement ps:
                    step = new PositionSearchStep
                    {
                        Id = id, Search = (PositionSearchKind)(int)ps.Search, Service = ps.Service.Text, Output = ps.Output.Text,
                        Ra = ((NumberValue)values[ps.Ra]).Value, Dec = ((NumberValue)values[ps.Dec]).Value,
                        Radius = ((NumberValue)values[ps.Radius]).Value, MaxRec = Count(ps.MaxRec, values),
                    };
                    reads = SyntaxWalk.Names(ps.Ra).Concat(SyntaxWalk.Names(ps.Dec)).Concat(SyntaxWalk.Names(ps.Radius))
                        .Concat(SyntaxWalk.Names(ps.MaxRec)).Select(x => x.Text);
                    break;
                case FindServicesStatement f:
                    step = new FindServicesStep
                    {
                        Id = id, ServiceProtocol = Enum.Parse<ServiceProtocol>(f.Kind.Text, ignoreCase: true), Output = f.Output.Text,
                        Registry = f.Registry?.Text,
                        WithTable = f.WithTable is null ? null : ((StringValue)values[f.WithTable]).Value,
                        Keywords = f.Keywords.Select(k => ((StringValue)values[k]).Value).ToList(),
                        Wavebands = f.Wavebands.Select(w => w.Text).ToList(),
                    };
                    reads = SyntaxWalk.Names(f.WithTable).Concat(f.Keywords.SelectMany(SyntaxWalk.Names)).Select(x => x.Text);
                    break;
                case LoadStatement ld:
                    step = new LoadStep { Id = id, Path = ((StringValue)values[ld.File]).Value, Output = ld.Output.Text };
                    reads = SyntaxWalk.Names(ld.File).Select(x => x.Text);
                    isEffect = true;
                    break;
                case SaveStatement sv:
                    step = new SaveStep { Id = id, Table = sv.Table.Text, Path = ((StringValue)values[sv.File]).Value };
                    reads = new[] { sv.Table.Text }.Concat(SyntaxWalk.Names(sv.File).Select(x => x.Text));
                    isEffect = true;
                    break;
                case ShowStatement sh:
                    step = new ShowStep { Id = id, Table = sh.Table.Text, Limit = (int)Math.Min(int.MaxValue, Count(sh.Limit, values) ?? 20) };
                    reads = new[] { sh.Table.Text }.Concat(SyntaxWalk.Names(sh.Limit).Select(x => x.Text));
                    isEffect = true;
                    break;
                case ClusterStatement c:
                    step = new ClusterStep { Id = id, Tables = c.Tables.Select(t => t.Text).ToList(), LinkDegrees = ((NumberValue)values[c.Within]).Value, Output = c.Output.Text };
                    reads = c.Tables.Select(t => t.Text).Concat(SyntaxWalk.Names(c.Within).Select(x => x.Text));
                    break;
                case SedStatement sd:
                    step = new SedStep { Id = id, Table = sd.Table.Text, Output = sd.Output.Text };
                    reads = [sd.Table.Text];
                    break;
                case PlotStatement pl:
                    step = new PlotStep
                    {
                        Id = id, Table = pl.Table.Text,
                        Path = pl.File is null ? pl.Table.Text + ".png" : ((StringValue)values[pl.File]).Value,
                        X = pl.X?.Text, Y = pl.Y?.Text,
                        Title = pl.Title is null ? null : ((StringValue)values[pl.Title]).Value,
                    };
                    reads = new[] { pl.Table.Text }.Concat(SyntaxWalk.Names(pl.File).Concat(SyntaxWalk.Names(pl.Title)).Select(x => x.Text));
                    isEffect = true;
                    break;
                case SelectWhereStatement sw:
                    step = new SelectStep { Id = id, Table = sw.Table.Text, Condition = sw.Condition, Output = sw.Output.Text };
                    reads = [sw.Table.Text];
                    break;
                case SelectInteractivelyStatement si:
                    step = new SelectInteractivelyStep { Id = id, Table = si.Table.Text, Output = si.Output.Text };
                    reads = [si.Table.Text];
                    isEffect = true;
                    break;
                case SendStatement sd:
                    step = new SendStep
                    {
                        Id = id, Tables = sd.Tables.Select(t => t.Text).ToList(), Client = sd.Client.Name,
                        Form = (SampSendForm)(int)sd.SendForm,
                    };
                    reads = sd.Tables.Select(t => t.Text);
                    isEffect = true;
                    break;
                case ReceiveStatement rc:
                    step = new ReceiveStep
                    {
                        Id = id, From = rc.From?.Name, Output = rc.Output.Text,
                        Timeout = rc.Timeout is null ? null : ((NumberValue)values[rc.Timeout]).AsTimeSpan(),
                    };
                    reads = SyntaxWalk.Names(rc.Timeout).Select(x => x.Text);
                    isEffect = true;
                    break;
                case RunStatement r:
                    var tableArgs = SyntaxWalk.TableArguments(r, symbols).ToList();
                    step = new VoScript.Hosting.HostPlanStep
                    {
                        Id = id, HostKind = r.Kind.Text, Output = r.Output?.Text,
                        Tables = tableArgs.ToDictionary(a => a.Name.Text, a => ((NameReference)a.Value).Name.Text, StringComparer.Ordinal),
                        Values = r.Arguments.Except(tableArgs).ToDictionary(a => a.Name.Text, a => values[a.Value], StringComparer.Ordinal),
                    };
                    reads = r.Arguments.SelectMany(a => SyntaxWalk.Names(a.Value)).Select(x => x.Text);
                    isEffect = r.Output is null; // a step that makes no table is run for its effect: keep it in order
                    break;
                case PointStatement pt:
                    step = new PointStep
                    {
                        Id = id, Client = pt.Client.Name,
                        Ra = ((NumberValue)values[pt.Ra]).Value, Dec = ((NumberValue)values[pt.Dec]).Value,
                    };
                    reads = SyntaxWalk.Names(pt.Ra).Concat(SyntaxWalk.Names(pt.Dec)).Select(x => x.Text);
                    isEffect = true;
                    break;
            }
            if (step is null) continue;

            var deps = reads.Where(producer.ContainsKey).Select(r => producer[r]).ToList();
            if (step is CSharpStep)
            {
                if (lastCSharp is not null) deps.Add(lastCSharp);
                lastCSharp = id;
            }
            if (isEffect)
            {
                if (lastEffect is not null) deps.Add(lastEffect);
                deps.AddRange(settledSinceEffect);
            }
            step = step with { DependsOn = deps.Distinct().OrderBy(d => int.Parse(d[1..], System.Globalization.CultureInfo.InvariantCulture)).ToList(), Origin = origin };
            steps.Add(step);
            next++;
            foreach (var o in step.Outputs) producer[o] = id;
            if (isEffect)
            {
                lastEffect = id;
                settledSinceEffect.Clear();
            }
            else if (isAsync) pendingAsync[step.Outputs.First()] = id;
            else if (step is not (ParamStep or LetStep)) settledSinceEffect.Add(id);
        }
        return new Plan(services, steps, fileName);
    }

    private static IEnumerable<string> ValueNames(Expression? maxrec, AdqlBlock block) =>
        SyntaxWalk.Names(maxrec).Concat(SyntaxWalk.Holes(block).SelectMany(SyntaxWalk.Names)).Select(n => n.Text);

    private static long? Count(Expression? e, ValueTable values) => e is null ? null : (long)((NumberValue)values[e]).Value;

    private static List<Upload> Uploads(QueryClauses c) => c.Uploads.Select(u => new Upload(u.Table.Text, u.As?.Text ?? u.Table.Text)).ToList();

    private static TimeSpan? Timeout(string table, IReadOnlyDictionary<string, AwaitStatement> awaitedBy, ValueTable values) =>
        awaitedBy.TryGetValue(table, out var a) && a.Timeout is not null ? ((NumberValue)values[a.Timeout]).AsTimeSpan() : null;

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
        return Dedent(sb.ToString());
    }

    public static string Dedent(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[0].Length == 0) lines.RemoveAt(0);
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        var indent = lines.Where(l => l.Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l));
    }
}

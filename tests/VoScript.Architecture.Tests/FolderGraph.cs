using ArchUnitNET.Domain;

namespace VoScript.Architecture.Tests;

/// <summary>
/// The dependency graph between the top-level folders of one assembly, read from its compiled
/// types by ArchUnitNET. A type's folder is the first namespace segment under the assembly's
/// root namespace (namespaces follow folders); types of the root namespace itself form the folder
/// "(root)", and extra namespaces (such as VoScript.Hosting, which lives in its own folder of the
/// engine and of the language) can be named as folders of their own.
/// </summary>
public sealed class FolderGraph
{
    private readonly Dictionary<string, Dictionary<string, string>> _edges = new(StringComparer.Ordinal);

    public FolderGraph(ArchUnitNET.Domain.Architecture architecture, string assemblyName, string rootNamespace, IReadOnlyDictionary<string, string>? extraFolders = null)
    {
        string? FolderOf(IType t)
        {
            var ns = t.Namespace?.FullName ?? "";
            if (extraFolders is not null)
                foreach (var (prefix, folder) in extraFolders)
                    if (ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal)) return folder;
            if (ns == rootNamespace) return "(root)";
            if (!ns.StartsWith(rootNamespace + ".", StringComparison.Ordinal)) return null;
            return ns[(rootNamespace.Length + 1)..].Split('.')[0];
        }

        var types = architecture.Types.Where(t => t.Assembly?.Name.Split(',')[0] == assemblyName).ToList();
        if (types.Count == 0) throw new InvalidOperationException($"no types of assembly {assemblyName} were loaded");
        foreach (var t in types)
        {
            if (FolderOf(t) is not { } from) continue;
            Folders.Add(from);
            foreach (var d in t.Dependencies)
            {
                var target = d.Target;
                // a method's generic parameter (T of Verbs.TakeArray<T>) is reported as a type of the method's
                // namespace when a generic type is instantiated with it; it is no dependency on that namespace
                if (target is GenericParameter) continue;
                if (target?.Assembly?.Name.Split(',')[0] != assemblyName || FolderOf(target) is not { } to || to == from) continue;
                if (!_edges.TryGetValue(from, out var outs)) _edges[from] = outs = new(StringComparer.Ordinal);
                outs.TryAdd(to, $"{t.FullName} → {target.FullName}");
            }
        }
    }

    /// <summary>The folders that hold at least one type.</summary>
    public SortedSet<string> Folders { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="from"/> uses <paramref name="to"/>, with one example dependency.</summary>
    public string? Example(string from, string to) =>
        _edges.TryGetValue(from, out var outs) && outs.TryGetValue(to, out var e) ? e : null;

    /// <summary>The folders <paramref name="from"/> uses directly.</summary>
    public IEnumerable<string> Uses(string from) => _edges.TryGetValue(from, out var outs) ? outs.Keys.Order(StringComparer.Ordinal) : [];

    /// <summary>The groups of two or more folders that use each other (strongly connected components), each sorted.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        // Tarjan's algorithm
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<IReadOnlyList<string>>();
        var next = 0;
        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v); onStack.Add(v);
            foreach (var w in Uses(v))
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); component.Add(x); } while (x != v);
            if (component.Count > 1) result.Add(component.Order(StringComparer.Ordinal).ToList());
        }
        foreach (var f in Folders.Concat(_edges.Keys).Distinct().Order(StringComparer.Ordinal))
            if (!index.ContainsKey(f)) Visit(f);
        return result;
    }

    /// <summary>The cycles, each with the dependencies that close it, for an assertion message.</summary>
    public string Describe(IReadOnlyList<IReadOnlyList<string>> cycles) =>
        string.Join(Environment.NewLine, cycles.Select(c =>
            "cycle between " + string.Join(", ", c) + ":" + Environment.NewLine + string.Join(Environment.NewLine,
                from a in c from b in c where a != b && Example(a, b) is not null select $"  {a} → {b} (e.g. {Example(a, b)})")));
}

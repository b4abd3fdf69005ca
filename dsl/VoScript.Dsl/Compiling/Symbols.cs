using VoScript.Dsl.Syntax;
using VoScript.Engine;
using VoScript.Engine.Runtime;

namespace VoScript.Dsl.Compiling;

/// <summary>What a name stands for.</summary>
internal enum SymbolKind
{
    Value,
    Service,
    Table,
    ServiceSet,
}

/// <summary>A defined name: its kind, where it is defined, and (for tables) whether an async query makes it.</summary>
internal sealed record Symbol(string Name, SymbolKind Kind, Identifier Definition, Statement Statement, int Order)
{
    public ServiceProtocol? Protocol { get; init; }
    public bool IsAsyncResult { get; init; }
    public bool IsParam { get; init; }

    /// <summary>A value known only when the script runs (a csharp block's result).</summary>
    public bool IsRuntimeValue { get; init; }

    /// <summary>What makes a run-time value, for messages (<c>the result of the csharp block</c>).</summary>
    public string? MadeBy { get; init; }

    public static string KindWord(SymbolKind kind) => kind switch
    {
        SymbolKind.Value => "value",
        SymbolKind.Service => "service",
        SymbolKind.Table => "table",
        _ => "service set",
    };

    public string Describe() => Kind == SymbolKind.Service && Protocol is { } k
        ? $"a {k.Name()} service"
        : Kind == SymbolKind.Value && IsParam ? "a parameter" : "a " + KindWord(Kind);
}

/// <summary>The names a script defines, in order (names are unique: redefinitions are errors).</summary>
internal sealed class SymbolTable
{
    private readonly Dictionary<string, Symbol> _symbols = new(StringComparer.Ordinal);
    private readonly List<Symbol> _ordered = [];

    public IReadOnlyList<Symbol> All => _ordered;

    public bool TryGet(string name, out Symbol symbol) => _symbols.TryGetValue(name, out symbol!);

    public Symbol? Find(string name) => _symbols.GetValueOrDefault(name);

    public bool Add(Symbol symbol)
    {
        if (!_symbols.TryAdd(symbol.Name, symbol)) return false;
        _ordered.Add(symbol);
        return true;
    }
}

using VoScript.Dsl.Syntax;
using VoScript.Engine;
using VoScript.Engine.Runtime;

namespace VoScript.Dsl.Compiling;

/// <summary>What a name stands for.</summary>
public enum SymbolKind
{
    /// <summary>A value (<c>let</c>, <c>param</c>, <c>count</c>).</summary>
    Value,
    /// <summary>A service.</summary>
    Service,
    /// <summary>A table.</summary>
    Table,
    /// <summary>A set of services.</summary>
    ServiceSet,
}

/// <summary>A defined name: its kind, where it is defined, and (for tables) whether an async query makes it.</summary>
public sealed record Symbol(string Name, SymbolKind Kind, Identifier Definition, Statement Statement, int Order)
{
    /// <summary>The protocol of a service.</summary>
    public ServiceProtocol? Protocol { get; init; }
    /// <summary>The table is the result of an async query (needs an <c>await</c>).</summary>
    public bool IsAsyncResult { get; init; }
    /// <summary>The value is a parameter a host may set.</summary>
    public bool IsParam { get; init; }

    /// <summary>A value known only when the script runs (a csharp block's result).</summary>
    public bool IsRuntimeValue { get; init; }

    /// <summary>What makes a run-time value, for messages (<c>the result of the csharp block</c>).</summary>
    public string? MadeBy { get; init; }

    /// <summary>The word for a kind in messages.</summary>
    public static string KindWord(SymbolKind kind) => kind switch
    {
        SymbolKind.Value => "value",
        SymbolKind.Service => "service",
        SymbolKind.Table => "table",
        _ => "service set",
    };

    /// <summary>The symbol in words, for messages.</summary>
    public string Describe() => Kind == SymbolKind.Service && Protocol is { } k
        ? $"a {k.Name()} service"
        : Kind == SymbolKind.Value && IsParam ? "a parameter" : "a " + KindWord(Kind);
}

/// <summary>The names a script defines, in order (names are unique: redefinitions are errors).</summary>
public sealed class SymbolTable
{
    private readonly Dictionary<string, Symbol> _symbols = new(StringComparer.Ordinal);
    private readonly List<Symbol> _ordered = [];

    /// <summary>All symbols in the order they were defined.</summary>
    public IReadOnlyList<Symbol> All => _ordered;

    /// <summary>Looks a name up.</summary>
    public bool TryGet(string name, out Symbol symbol) => _symbols.TryGetValue(name, out symbol!);

    /// <summary>The symbol of <paramref name="name"/>, or null.</summary>
    public Symbol? Find(string name) => _symbols.GetValueOrDefault(name);

    /// <summary>Adds a symbol; false if the name is taken.</summary>
    public bool Add(Symbol symbol)
    {
        if (!_symbols.TryAdd(symbol.Name, symbol)) return false;
        _ordered.Add(symbol);
        return true;
    }
}

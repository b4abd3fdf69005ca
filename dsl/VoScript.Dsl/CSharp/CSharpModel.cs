namespace VoScript.Dsl.CSharp;

/// <summary>What a block's result becomes in the workspace.</summary>
public enum CSharpResultKind
{
    /// <summary>The block ends with a statement: nothing to name.</summary>
    None,
    /// <summary>The block makes a table.</summary>
    Table,
    /// <summary>The block makes a number.</summary>
    Number,
    /// <summary>The block makes a string.</summary>
    Text,
    /// <summary>The block makes a list of values.</summary>
    List,
    /// <summary>A value of a type VoScript has no use for (bool, object, a record, …).</summary>
    Unsupported,
}

/// <summary>A workspace name a block can use, and the C# type of the variable declared for it.</summary>
internal sealed record CSharpScopeName(string Name, bool IsTable, string CSharpType)
{
    public string Signature => $"{Name}:{(IsTable ? "table" : "value")}:{CSharpType}";
}

/// <summary>A method a block declares (a later block, or <c>select … where</c> when static, can call it).</summary>
public sealed record CSharpFunction(string Name, bool IsStatic, IReadOnlyList<string> ParameterTypes, string ReturnType, string Display);

/// <summary>A C# compiler message, its position as an offset into the block's code.</summary>
public sealed record CSharpMessage(bool IsError, string Code, string Message, int Start, int Length);

/// <summary>
/// One compiled block: the assembly that holds it (named by the hash of its code, its place in
/// the chain and what it sees), its submission type, its result and what it reads.
/// This is also what the disk cache keeps next to the assembly.
/// </summary>
public sealed record CSharpBlockInfo
{
    /// <summary>The name of the compiled script assembly (the on-disk cache key).</summary>
    public required string AssemblyName { get; init; }
    /// <summary>The submission class (null when the block has no code to run).</summary>
    public string? TypeName { get; init; }
    /// <summary>The submission's slot in the chain's submission array (0 is the globals object).</summary>
    public int Slot { get; init; }
    /// <summary>What the block produces.</summary>
    public CSharpResultKind Kind { get; init; }
    /// <summary>The C# type of the result, as C# writes it (<c>double</c>, <c>ScriptTable</c>).</summary>
    public string? ResultType { get; init; }
    /// <summary>The workspace names the code uses.</summary>
    public IReadOnlyList<string> Reads { get; init; } = [];
    /// <summary>The functions the block declares (callable from later blocks).</summary>
    public IReadOnlyList<CSharpFunction> Functions { get; init; } = [];
    /// <summary>The compiler's errors and warnings for the block.</summary>
    public IReadOnlyList<CSharpMessage> Messages { get; init; } = [];

    /// <summary>False for a block after one with errors: only its syntax was checked, its result is not known.</summary>
    public bool Compiled { get; init; } = true;
}

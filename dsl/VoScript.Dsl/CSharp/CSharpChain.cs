using VoScript.Dsl.Syntax;

namespace VoScript.Dsl.CSharp;

/// <summary>
/// The csharp blocks of one script, compiled in order as one chain of submissions (what a
/// block declares, later blocks see). Each block is looked up in the cache first; the compiler
/// is loaded only for a block that is not there (and then the blocks before it are compiled
/// again in memory, since Roslyn needs their compilations to compile the next one).
/// </summary>
internal sealed class CSharpChain
{
    private readonly string _fileName;
    private readonly List<(CSharpStatement Block, IReadOnlyList<CSharpScopeName> Used, CSharpBlockInfo Info)> _blocks = [];
    private object? _lastCompilation; // the Roslyn compilation of block _compiled - 1
    private int _compiled;
    private bool _broken;
    private int _nextSlot = 1;

    public CSharpChain(string fileName) => _fileName = fileName;

    public IReadOnlyList<CSharpBlockInfo> Blocks => _blocks.Select(b => b.Info).ToList();

    /// <summary>Compiles (or finds in the cache) the next block, which sees <paramref name="scope"/>.</summary>
    public CSharpBlockInfo Add(CSharpStatement block, IReadOnlyList<CSharpScopeName> scope)
    {
        var previousKey = _blocks.Count == 0 ? null : _blocks[^1].Info.AssemblyName;
        var code = block.Code;
        var key = CSharpCache.Key(previousKey, _fileName, code.Span.Line, code.Span.Column, code.Text, scope);
        if (!_broken && CSharpCache.TryRead(key) is { } cached)
        {
            var usedNames = scope.Where(s => cached.Reads.Contains(s.Name)).ToList();
            _blocks.Add((block, usedNames, cached));
            if (cached.TypeName is not null) _nextSlot = cached.Slot + 1;
            return cached;
        }

        if (_broken)
        {
            var syntaxOnly = CSharpRoslyn.SyntaxOnly(key, code.Text);
            _blocks.Add((block, [], syntaxOnly));
            return syntaxOnly;
        }
        CompilePrefix();
        var reads = CSharpRoslyn.Reads(code.Text, scope);
        var used = scope.Where(s => reads.Contains(s.Name)).ToList();
        var compiled = CSharpRoslyn.Compile(_lastCompilation, key, _fileName, code.Text, code.Span.Line, code.Span.Column, used, _nextSlot, emit: !_broken);
        _lastCompilation = compiled.Compilation;
        _compiled = _blocks.Count + 1;
        var info = compiled.Info;
        _blocks.Add((block, used, info));
        if (info.Messages.Any(m => m.IsError) || (!_broken && info.TypeName is not null && compiled.Image is null))
        {
            _broken = true;
            return info;
        }
        if (info.TypeName is not null) _nextSlot = info.Slot + 1;
        if (!_broken)
        {
            if (compiled.Image is { } image) CSharpAssemblies.Register(key, () => image);
            CSharpCache.Write(info, compiled.Image);
        }
        return info;
    }

    /// <summary>Roslyn compilations of the blocks found in the cache so far (same names, so the same assemblies).</summary>
    private void CompilePrefix()
    {
        for (var k = _compiled; k < _blocks.Count; k++)
        {
            var (block, used, info) = _blocks[k];
            var slot = info.TypeName is null ? _nextSlot : info.Slot;
            _lastCompilation = CSharpRoslyn.Compile(_lastCompilation, info.AssemblyName, _fileName, block.Code.Text,
                block.Code.Span.Line, block.Code.Span.Column, used, slot, emit: false).Compilation;
        }
        _compiled = _blocks.Count;
    }
}

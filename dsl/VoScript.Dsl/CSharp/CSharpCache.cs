using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using VoScript.Engine;

namespace VoScript.Dsl.CSharp;

/// <summary>
/// Compiled blocks on disk, by content: <c>NAME.dll</c> (the block's assembly) and
/// <c>NAME.json</c> (what the compiler learnt about it). NAME hashes the block's code, where
/// it stands, what it sees, the blocks before it and the versions of VoScript, Roslyn and
/// .NET, so a changed script or a new build never reads a stale entry. The directory is
/// <c>$VOSCRIPT_CACHE</c>, else <c>$XDG_CACHE_HOME/voscript/csharp</c>, else
/// <c>~/.cache/voscript/csharp</c>. A cache that cannot be written is not an error: the
/// block is compiled again next time.
/// </summary>
internal static class CSharpCache
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The cache directory (from the environment, read each time so tests can point it elsewhere).</summary>
    public static string Directory
    {
        get
        {
            if (Environment.GetEnvironmentVariable("VOSCRIPT_CACHE") is { Length: > 0 } own) return own;
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var root = xdg is { Length: > 0 } ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(root, "voscript", "csharp");
        }
    }

    /// <summary>What every key includes: the builds of the globals type and the table model, and the runtime.</summary>
    private static readonly Lazy<string> Stamp = new(() => string.Join("|",
        typeof(ScriptGlobals).Assembly.ManifestModule.ModuleVersionId,
        typeof(VoScript.Engine.Model.Table).Assembly.ManifestModule.ModuleVersionId,
        Environment.Version,
        string.Join(",", typeof(ScriptGlobals).Assembly.GetReferencedAssemblies()
            .Where(a => a.Name?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) == true).Select(a => a.FullName).Order(StringComparer.Ordinal))));

    /// <summary>The assembly name of a block: a hash of everything its compiled form depends on.</summary>
    public static string Key(string? previousKey, string fileName, int line, int column, string code, IEnumerable<CSharpScopeName> scope)
    {
        var sb = new StringBuilder();
        sb.Append(Stamp.Value).Append('\n').Append(previousKey ?? "-").Append('\n').Append(fileName).Append('\n')
          .Append(line).Append(':').Append(column).Append('\n');
        foreach (var n in scope.Select(s => s.Signature).Order(StringComparer.Ordinal)) sb.Append(n).Append('\n');
        sb.Append(code);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString()));
        return "voscript-csharp-" + Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }

    public static CSharpBlockInfo? TryRead(string key)
    {
        try
        {
            var json = Path.Combine(Directory, key + ".json");
            var dll = Path.Combine(Directory, key + ".dll");
            if (!File.Exists(json)) return null;
            var info = JsonSerializer.Deserialize<CSharpBlockInfo>(File.ReadAllText(json), Json);
            if (info is null || info.AssemblyName != key || (info.TypeName is not null && !File.Exists(dll))) return null;
            if (info.TypeName is not null) CSharpAssemblies.Register(key, () => File.ReadAllBytes(dll));
            return info;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return null;
        }
    }

    public static void Write(CSharpBlockInfo info, byte[]? image)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            if (image is not null) WriteAtomically(Path.Combine(Directory, info.AssemblyName + ".dll"), image);
            WriteAtomically(Path.Combine(Directory, info.AssemblyName + ".json"), JsonSerializer.SerializeToUtf8Bytes(info, Json));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // not cached: compiled again next time
        }
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temp = path + "." + Environment.ProcessId + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>
/// The compiled blocks of this process, loaded on first use into one load context and found
/// by assembly name: a block's assembly refers to the blocks before it by name, and
/// <c>select … where</c> calls a static function of a block through it.
/// </summary>
internal static class CSharpAssemblies
{
    private static readonly ConcurrentDictionary<string, Func<byte[]>> Sources = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Assembly> Loaded = new(StringComparer.Ordinal);
    private static readonly Lock LoadLock = new();
    private static readonly BlockContext Context = new();

    public static void Register(string name, Func<byte[]> image) => Sources.TryAdd(name, image);

    public static bool IsRegistered(string name) => Sources.ContainsKey(name);

    /// <summary>The error of a host compiled ahead of time, which cannot load compiled blocks (the compiler says so first: VOS0605).</summary>
    public static VoScriptException NeedsJit() =>
        new("csharp blocks need the .NET runtime with its JIT compiler; this host was compiled ahead of time (NativeAOT)");

    public static Assembly Get(string name)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported) throw NeedsJit();
        if (Loaded.TryGetValue(name, out var a)) return a;
        lock (LoadLock)
        {
            if (Loaded.TryGetValue(name, out a)) return a;
            if (!Sources.TryGetValue(name, out var image))
                throw new InvalidOperationException($"the compiled C# block {name} is not available");
            a = Context.LoadFromStream(new MemoryStream(image()));
            Loaded[name] = a;
            return a;
        }
    }

    private sealed class BlockContext() : AssemblyLoadContext("voscript-csharp")
    {
        protected override Assembly? Load(AssemblyName assemblyName) =>
            assemblyName.Name is { } n && Sources.ContainsKey(n) ? Get(n) : null;
    }
}

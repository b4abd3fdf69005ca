using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace VoScript.Dsl;

/// <summary>
/// Names a language module of this assembly: a class in <c>Modules/</c> that gives the grammar of its statements
/// (<c>IGrammarModule</c>) and their compiler rules (<c>ILanguageModule</c>). Each module's file declares itself with
/// <c>[assembly: LanguageModule(typeof(TheModule))]</c>, so a new area of statements is one new file.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class LanguageModuleAttribute(
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] Type module) : Attribute
{
    /// <summary>The module's class (it has a parameterless constructor).</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
    public Type Module { get; } = module;
}

/// <summary>
/// The language modules named by <see cref="LanguageModuleAttribute"/>s, one instance each. (Finding them among all the
/// types of the assembly cost every start a tenth of the compile time of a short script: it loads every type.)
/// </summary>
internal static class LanguageModules
{
    private static readonly Lazy<IReadOnlyList<object>> Instances = new(() =>
        typeof(LanguageModules).Assembly.GetCustomAttributes<LanguageModuleAttribute>()
            .OrderBy(a => a.Module.FullName, StringComparer.Ordinal)
            .Select(a => Activator.CreateInstance(a.Module)
                         ?? throw new InvalidOperationException($"the language module {a.Module.Name} could not be made"))
            .ToList());

    /// <summary>Every module.</summary>
    public static IReadOnlyList<object> All => Instances.Value;

    /// <summary>The modules that are <typeparamref name="TModule"/>s.</summary>
    public static IEnumerable<TModule> Of<TModule>() => All.OfType<TModule>();
}

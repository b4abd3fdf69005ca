using ArchUnitNET.Domain;
using ArchUnitNET.Domain.Extensions;
using ArchUnitNET.Fluent;
using ArchUnitNET.Fluent.Slices;
using ArchUnitNET.NUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace VoScript.Architecture.Tests;

/// <summary>
/// The architecture of docs/architecture.md as rules over the compiled assemblies: the top-level
/// folders of each assembly use each other without cycles (the engine's in one fixed order), the
/// engine knows nothing of the language, the server or the CLI, and no step handler uses another.
/// The Fixtures tests show that the same rules fail on a deliberate cycle.
/// </summary>
public class ArchitectureRuleTests
{
    private static readonly Dictionary<string, string> HostingFolder = new(StringComparer.Ordinal) { ["VoScript.Hosting"] = "Hosting" };

    private static IEnumerable<TestCaseData> Assemblies()
    {
        yield return new TestCaseData(Product.Engine, "VoScript.Engine", HostingFolder).SetArgDisplayNames("engine");
        yield return new TestCaseData(Product.Server, "VoScript.Server", null).SetArgDisplayNames("server");
        yield return new TestCaseData(Product.Dsl, "VoScript.Dsl", HostingFolder).SetArgDisplayNames("dsl");
        yield return new TestCaseData(Product.Cli, "VoScript.Cli", null).SetArgDisplayNames("cli");
    }

    [TestCaseSource(nameof(Assemblies))]
    public void TheTopLevelFoldersOfEachAssemblyUseEachOtherWithoutCycles(string assembly, string rootNamespace, Dictionary<string, string>? extra)
    {
        var graph = new FolderGraph(Product.Architecture, assembly, rootNamespace, extra);
        Assert.That(graph.Folders, Has.Count.GreaterThan(2), "the assembly's folders were not found");
        var cycles = graph.Cycles();
        Assert.That(cycles, Is.Empty, graph.Describe(cycles));
    }

    [TestCase("VoScript.Engine.(*)..")]
    [TestCase("VoScript.Server.(*)..")]
    [TestCase("VoScript.Dsl.(*)..")]
    [TestCase("VoScript.Cli.(*)..")]
    public void ArchUnitsSliceRuleAgrees(string slices) =>
        SliceRuleDefinition.Slices().Matching(slices).Should().BeFreeOfCycles().Check(Product.Architecture);

    /// <summary>The engine's layers, lowest first: a folder may use only folders before it.</summary>
    private static readonly string[] EngineLayers = ["(root)", "Model", "Formats", "Protocols", "Science", "Runtime", "Hosting"];

    [Test]
    public void EngineFoldersUseOnlyTheLayersBelowThem()
    {
        var graph = new FolderGraph(Product.Architecture, Product.Engine, "VoScript.Engine", HostingFolder);
        Assert.That(graph.Folders, Is.SubsetOf(EngineLayers), "a new top-level engine folder needs its place in EngineLayers and in docs/architecture.md");
        var wrong = (from f in graph.Folders
                     from to in graph.Uses(f)
                     where Array.IndexOf(EngineLayers, to) > Array.IndexOf(EngineLayers, f)
                     select $"{f} uses {to} (e.g. {graph.Example(f, to)})").ToList();
        Assert.That(wrong, Is.Empty, string.Join(Environment.NewLine, wrong));
    }

    [Test]
    public void TheEngineNeverReferencesTheLanguageTheServerOrTheCli()
    {
        var engine = System.Reflection.Assembly.Load(Product.Engine);
        var referenced = engine.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.That(referenced, Has.None.AnyOf(Product.Dsl, Product.Server, Product.Cli));
        Types().That().ResideInAssembly(engine).Should().NotDependOnAny(
                Types().That().ResideInAssembly(System.Reflection.Assembly.Load(Product.Dsl))
                    .Or().ResideInAssembly(System.Reflection.Assembly.Load(Product.Server))
                    .Or().ResideInAssembly(System.Reflection.Assembly.Load(Product.Cli)))
            .Check(Product.Architecture);
    }

    [Test]
    public void TheLanguageNeverReferencesTheServerOrTheCli()
    {
        var dsl = System.Reflection.Assembly.Load(Product.Dsl);
        Assert.That(dsl.GetReferencedAssemblies().Select(a => a.Name), Has.None.AnyOf(Product.Server, Product.Cli));
    }

    [Test]
    public void TheAdqlAssemblyReferencesNoOtherVoScriptAssemblyAndHasNoFolderCycle()
    {
        var adql = System.Reflection.Assembly.Load(Product.Adql);
        Assert.That(adql.GetReferencedAssemblies().Select(a => a.Name), Has.None.StartsWith("VoScript.").And.None.EqualTo(Product.Cli));
        Types().That().ResideInAssembly(adql).Should().NotDependOnAny(
                Types().That().ResideInAssembly(System.Reflection.Assembly.Load(Product.Engine))
                    .Or().ResideInAssembly(System.Reflection.Assembly.Load(Product.Server))
                    .Or().ResideInAssembly(System.Reflection.Assembly.Load(Product.Dsl))
                    .Or().ResideInAssembly(System.Reflection.Assembly.Load(Product.Cli)))
            .Check(Product.Architecture);
        var graph = new FolderGraph(Product.Architecture, Product.Adql, "VoScript.Adql");
        Assert.That(graph.Folders, Is.Not.Empty, "the assembly's types were not found");
        var cycles = graph.Cycles();
        Assert.That(cycles, Is.Empty, graph.Describe(cycles));
    }

    [TestCase(Product.Server)]
    [TestCase(Product.Adql)]
    public void InternalsAreVisibleOnlyToTestFuzzAndBenchAssemblies(string assembly)
    {
        var friends = System.Reflection.Assembly.Load(assembly).GetCustomAttributes(typeof(System.Runtime.CompilerServices.InternalsVisibleToAttribute), false)
            .Cast<System.Runtime.CompilerServices.InternalsVisibleToAttribute>().Select(a => a.AssemblyName).ToList();
        Assert.That(friends, Is.Not.Empty);
        Assert.That(friends.Where(f => !f.EndsWith(".Tests", StringComparison.Ordinal) && f is not ("VoScript.Fuzz" or "VoScript.Bench" or "VoScript.ServeBench")),
            Is.Empty, "a production assembly uses these internals: make what it uses public (documented) or move it there");
    }

    /// <summary>A namespace (and those under it) whose types use no type of another namespace (or those under it).</summary>
    internal static IArchRule NamespaceDoesNotUse(string user, string used) =>
        Types().That().ResideInNamespaceMatching(Regex(user)).Should()
            .NotDependOnAny(Types().That().ResideInNamespaceMatching(Regex(used)))
            .Because($"{user} must not use {used}");

    private static string Regex(string ns) => "^" + System.Text.RegularExpressions.Regex.Escape(ns) + @"(\..*)?$";

    /// <summary>
    /// The selection walks objects and asks the host; drawing them is the host's job (the CLI calls
    /// <c>CharacterPlot</c>), so selecting never depends on plotting.
    /// </summary>
    [Test]
    public void SelectionDoesNotDependOnPlotting() =>
        NamespaceDoesNotUse("VoScript.Engine.Science.Selection", "VoScript.Engine.Science.Plotting").Check(Product.Architecture);

    [Test]
    public void StepHandlersNeverReferenceEachOther()
    {
        var arch = Product.Architecture;
        var handlerBase = arch.Interfaces.Single(i => i.FullName == "VoScript.Engine.Runtime.IStepHandler");
        var handlers = arch.Classes.Where(c => c.IsAssignableTo(handlerBase) && c.IsAbstract != true).ToList();
        Assert.That(handlers.Select(h => h.Name).ToList(), Has.Member("CountHandler").And.Count.GreaterThan(20), "the step handlers were not found");
        var uses = Crossing(arch, handlers.Cast<IType>().ToList());
        Assert.That(uses, Is.Empty, string.Join(Environment.NewLine, uses));
    }

    /// <summary>The dependencies from one member of <paramref name="set"/> (or a type nested in it) on another.</summary>
    internal static List<string> Crossing(ArchUnitNET.Domain.Architecture arch, IReadOnlyList<IType> set)
    {
        var names = set.Select(t => t.FullName).ToHashSet(StringComparer.Ordinal);
        string? Owner(IType t) => set.FirstOrDefault(s => t.FullName == s.FullName || t.FullName.StartsWith(s.FullName + "+", StringComparison.Ordinal) || t.FullName.StartsWith(s.FullName + "/", StringComparison.Ordinal))?.FullName;
        return (from t in arch.Types
                let owner = Owner(t)
                where owner is not null
                from d in t.Dependencies
                let target = d.Target.FullName
                where names.Contains(target) && target != owner
                select $"{owner} uses {target}").Distinct().Order(StringComparer.Ordinal).ToList();
    }
}

/// <summary>The rules above fail on namespaces made to break them, so a passing rule means something.</summary>
public class ArchitectureRuleFixtureTests
{
    private const string Assembly = "VoScript.Architecture.Tests";

    [Test]
    public void ADeliberateFolderCycleIsFound()
    {
        var graph = new FolderGraph(Product.Fixtures, Assembly, "VoScript.Architecture.Tests.Fixtures.Cyclic");
        Assert.That(graph.Folders, Is.EquivalentTo(new[] { "Alpha", "Beta", "Gamma" }));
        var cycles = graph.Cycles();
        Assert.That(cycles, Has.Count.EqualTo(1));
        Assert.That(cycles[0], Is.EqualTo(new[] { "Alpha", "Beta" }));
        Assert.That(graph.Describe(cycles), Does.Contain("Alpha → Beta").And.Contain("Beta → Alpha"));
    }

    [Test]
    public void LayeredFoldersHaveNoCycle()
    {
        var graph = new FolderGraph(Product.Fixtures, Assembly, "VoScript.Architecture.Tests.Fixtures.Layered");
        Assert.That(graph.Uses("Upper"), Is.EqualTo(new[] { "Lower" }));
        Assert.That(graph.Cycles(), Is.Empty);
    }

    [Test]
    public void ArchUnitsSliceRuleFailsOnTheCycle()
    {
        Assert.That(SliceRuleDefinition.Slices().Matching("VoScript.Architecture.Tests.Fixtures.Cyclic.(*)..").Should().BeFreeOfCycles()
            .HasNoViolations(Product.Fixtures), Is.False);
        Assert.That(SliceRuleDefinition.Slices().Matching("VoScript.Architecture.Tests.Fixtures.Layered.(*)..").Should().BeFreeOfCycles()
            .HasNoViolations(Product.Fixtures), Is.True);
    }

    [Test]
    public void TheNamespaceRuleFailsWhereOneNamespaceUsesTheOther()
    {
        const string root = "VoScript.Architecture.Tests.Fixtures.";
        Assert.That(ArchitectureRuleTests.NamespaceDoesNotUse(root + "Layered.Upper", root + "Layered.Lower").HasNoViolations(Product.Fixtures), Is.False,
            "Upper.Reader uses Lower.Item");
        Assert.That(ArchitectureRuleTests.NamespaceDoesNotUse(root + "Layered.Lower", root + "Layered.Upper").HasNoViolations(Product.Fixtures), Is.True);
        Assert.That(ArchitectureRuleTests.NamespaceDoesNotUse(root + "Cyclic.Gamma", root + "Cyclic.Beta").HasNoViolations(Product.Fixtures), Is.True,
            "Gamma uses Alpha, which uses Beta: only direct use counts");
    }

    [Test]
    public void TypesOfASetThatUseEachOtherAreFound()
    {
        var arch = Product.Fixtures;
        var set = arch.Types.Where(t => t.FullName.EndsWith("Cyclic.Alpha.Source", StringComparison.Ordinal) || t.FullName.EndsWith("Cyclic.Beta.Sink", StringComparison.Ordinal)).ToList();
        Assert.That(set, Has.Count.EqualTo(2));
        Assert.That(ArchitectureRuleTests.Crossing(arch, set), Has.Count.EqualTo(2));
        var layered = arch.Types.Where(t => t.FullName.Contains("Fixtures.Layered.", StringComparison.Ordinal) && !t.FullName.Contains('+')).ToList();
        Assert.That(ArchitectureRuleTests.Crossing(arch, layered), Has.Count.EqualTo(1), "Upper.Reader uses Lower.Item");
    }
}

using ArchUnitNET.Loader;

namespace VoScript.Architecture.Tests;

/// <summary>The production assemblies (engine, ADQL, server, language, CLI) and this test assembly, loaded once.</summary>
internal static class Product
{
    public const string Engine = "VoScript.Engine", Server = "VoScript.Server", Dsl = "VoScript.Dsl", Cli = "voscript";

    /// <summary>The ADQL syntax (lexer, parser, tree) that the server and the language share.</summary>
    public const string Adql = "VoScript.Adql";

    private static readonly Lazy<ArchUnitNET.Domain.Architecture> Loaded = new(() => new ArchLoader().LoadAssemblies(
        System.Reflection.Assembly.Load(Engine), System.Reflection.Assembly.Load(Server),
        System.Reflection.Assembly.Load(Dsl), System.Reflection.Assembly.Load(Cli), System.Reflection.Assembly.Load(Adql)).Build());

    private static readonly Lazy<ArchUnitNET.Domain.Architecture> LoadedFixtures = new(() =>
        new ArchLoader().LoadAssemblies(typeof(Product).Assembly).Build());

    public static ArchUnitNET.Domain.Architecture Architecture => Loaded.Value;

    /// <summary>This test assembly, whose Fixtures namespaces hold a deliberate cycle.</summary>
    public static ArchUnitNET.Domain.Architecture Fixtures => LoadedFixtures.Value;
}

using NUnit.Framework;

// Compiled into each test project that runs csharp blocks (a linked file in its .csproj). In namespace VoScript,
// the set-up fixture covers every test of the assembly (their namespaces are all VoScript.*).
namespace VoScript;

/// <summary>
/// Compiled csharp blocks of this test run (in process and in the voscript processes it starts) go to a fresh
/// directory, not the user's cache; it is removed when the run ends.
/// </summary>
[SetUpFixture]
public class CSharpCacheDirectory
{
    public static string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(),
        "vos-csharp-cache-" + typeof(CSharpCacheDirectory).Assembly.GetName().Name + "-" + Guid.NewGuid().ToString("N"));

    [OneTimeSetUp]
    public void PointTheCacheAtATemporaryDirectory() => Environment.SetEnvironmentVariable("VOSCRIPT_CACHE", Path);

    [OneTimeTearDown]
    public void RemoveIt()
    {
        Environment.SetEnvironmentVariable("VOSCRIPT_CACHE", null);
        try
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, true);
        }
        catch (IOException)
        {
        }
    }
}

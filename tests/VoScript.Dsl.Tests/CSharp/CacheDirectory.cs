namespace VoScript.Dsl.Tests;

/// <summary>Compiled csharp blocks go to a fresh cache directory for this test run, not the user's.</summary>
[SetUpFixture]
public class CacheDirectory
{
    public static string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vos-csharp-cache-" + Guid.NewGuid().ToString("N"));

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

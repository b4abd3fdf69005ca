namespace VoScript.Cli.Tests;

/// <summary>Compiled csharp blocks of this test run (in process and in the voscript processes it starts) go to a fresh directory.</summary>
[SetUpFixture]
public class CSharpCacheDirectory
{
    public static string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vos-cli-csharp-cache-" + Guid.NewGuid().ToString("N"));

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

using System.Diagnostics;
using VoScript.Engine;

namespace VoScript.Hosting.Tests;

/// <summary>
/// scripts/embedding/run.sh packs the two packages, checks their contents (README, LICENSE,
/// XML docs, symbols), builds the sample program from the packages and runs it. Slow (a pack
/// and a restore), so it runs with the integration tests.
/// </summary>
[Category("Integration")]
public class EmbeddingSampleTests
{
    [Test, CancelAfter(600_000)]
    public async Task TheSampleHostBuildsFromThePackedPackagesAndRunsAWorkflowWithProgressEvents()
    {
        var outDir = Directory.CreateTempSubdirectory("voscript-embedding-");
        try
        {
            var start = new ProcessStartInfo("bash", [Path.Combine(Repo.Root, "scripts", "embedding", "run.sh"), outDir.FullName])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Repo.Root,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var output = await stdout;
            TestContext.Out.WriteLine(output);
            Assert.That(process.ExitCode, Is.EqualTo(0), output + await stderr);

            Assert.That(output, Does.Contain("VoScript.Engine.0.1.0.nupkg: ok; symbols ok"));
            Assert.That(output, Does.Contain("VoScript.Dsl.0.1.0.nupkg: ok; symbols ok"));
            // the host's own step, its progress, and the tables as they are made
            Assert.That(output, Does.Contain("progress 22 twins, 0.5 arcsec north"));
            Assert.That(output, Does.Contain("table    twins: 22 rows x 2 columns"));
            // one parsed script, two parameter sets: twins 0.5" away pair up within 1", twins 3" away do not
            Assert.That(output, Does.Contain("pairs: 44 rows in 22 groups (offset 0.5 arcsec)"));
            Assert.That(output, Does.Contain("pairs: 44 rows in 44 groups (offset 3 arcsec)"));
            Assert.That(output, Does.Contain("pairs-csharp: 80 rows in 40 groups"));
            Assert.That(output.TrimEnd(), Does.EndWith("embedding sample: ok"));

            var host = new VoScriptHost(new VoScriptHostOptions { WorkingDirectory = outDir.FullName });
            var saved = await host.RunAsync(host.NewPlan().Load("pairs.vot", "a").Load("pairs-csharp.vot", "b").Build());
            Assert.That(saved.Succeeded, Is.True, saved.FirstError);
            Assert.That(saved.Workspace.GetTable("a").RowCount, Is.EqualTo(44));
            Assert.That(saved.Workspace.GetTable("b").RowCount, Is.EqualTo(80));
        }
        finally
        {
            outDir.Delete(recursive: true);
        }
    }
}

using VoScript.Server.Tap;

namespace VoScript.Server.Tests;

public class WorkDirectoryTests
{
    [Test]
    public void FoldersOfKilledServeProcessesAreRemovedAndLiveOnesKept()
    {
        var parent = Directory.CreateTempSubdirectory("vos-workdirs-").FullName;
        try
        {
            // pid_max on Linux is at most 4194304: this process cannot exist
            var dead = Directory.CreateDirectory(Path.Combine(parent, UwsJobManager.WorkDirPrefix + "2147483646-abc")).FullName;
            File.WriteAllText(Path.Combine(dead, "job.result"), "x");
            var live = Directory.CreateDirectory(Path.Combine(parent, UwsJobManager.WorkDirPrefix + Environment.ProcessId + "-def")).FullName;
            var other = Directory.CreateDirectory(Path.Combine(parent, UwsJobManager.WorkDirPrefix + "notapid")).FullName;

            UwsJobManager.RemoveOrphanedWorkDirectories(parent);

            Assert.That(Directory.Exists(dead), Is.False, "the dead process's folder");
            Assert.That(Directory.Exists(live), Is.True, "a running process's folder");
            Assert.That(Directory.Exists(other), Is.True, "a folder whose name is not ours");
        }
        finally { Directory.Delete(parent, true); }
    }
}

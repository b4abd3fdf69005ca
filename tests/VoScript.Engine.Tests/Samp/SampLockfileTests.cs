using NUnit.Framework;
using VoScript.Engine.Protocols.Samp;

namespace VoScript.Engine.Tests.Samp;

public class SampLockfileTests
{
    [Test]
    public void JsampLockfileIsParsed()
    {
        const string text = """
            # SAMP Standard Profile lockfile written Tue Nov 24 23:39:26 UTC 2026
            # Note contact URL hostname may be configured using jsamp.localhost property
            samp.secret=5aecb12f6e76794b
            samp.hub.xmlrpc.url=http://127.0.0.1:42263/xmlrpc
            samp.profile.version=1.3
            hub.impl=org.astrogrid.samp.hub.Hub$1
            profile.impl=org.astrogrid.samp.xmlrpc.StandardHubProfile
            """;
        var l = SampLockfile.Parse(text);
        Assert.That(l.Secret, Is.EqualTo("5aecb12f6e76794b"));
        Assert.That(l.HubUrl, Is.EqualTo(new Uri("http://127.0.0.1:42263/xmlrpc")));
        Assert.That(l.ProfileVersion, Is.EqualTo("1.3"));
        Assert.That(l.Entries["hub.impl"], Is.EqualTo("org.astrogrid.samp.hub.Hub$1"));
    }

    [Test]
    public void AstropyLockfileWithoutPathAndCrlfIsParsed()
    {
        var text = "# SAMP lockfile written on 2026-11-24T23:39:31.247274\r\n# Standard Profile required keys\r\n"
                   + "samp.secret=4bdce0a6-e860-11f1-9e41-02fc00000001\r\nsamp.hub.xmlrpc.url=http://127.0.0.1:44249\r\n"
                   + "samp.profile.version=1.3\r\n\r\nhub.label=rig-astropy-hub\r\n";
        var l = SampLockfile.Parse(text);
        Assert.That(l.Secret, Is.EqualTo("4bdce0a6-e860-11f1-9e41-02fc00000001"));
        Assert.That(l.HubUrl.ToString(), Is.EqualTo("http://127.0.0.1:44249/"));
        Assert.That(l.Entries["hub.label"], Is.EqualTo("rig-astropy-hub"));
    }

    [Test]
    public void ValueContainingEqualsSplitsOnlyAtTheFirst()
    {
        var l = SampLockfile.Parse("samp.secret=a=b==c\nsamp.hub.xmlrpc.url=http://127.0.0.1:1/x?y=z\n");
        Assert.That(l.Secret, Is.EqualTo("a=b==c"));
        Assert.That(l.HubUrl.Query, Is.EqualTo("?y=z"));
    }

    [Test]
    public void MissingSecretIsReportedWithThePath()
    {
        Assert.That(() => SampLockfile.Parse("samp.hub.xmlrpc.url=http://127.0.0.1:1/\n", "/tmp/x.samp"),
            Throws.TypeOf<SampException>().With.Message.EqualTo(
                "SAMP lockfile /tmp/x.samp lacks samp.secret; it is not a Standard Profile lockfile (or is still being written)"));
    }

    [Test]
    public void NonHttpHubUrlIsRefused()
    {
        Assert.That(() => SampLockfile.Parse("samp.secret=s\nsamp.hub.xmlrpc.url=ftp://x/\n"),
            Throws.TypeOf<SampException>().With.Message.Contains("is not an http URL"));
    }

    [TestCase("std-lockurl:file:///tmp/rig/samp.lock", "/tmp/rig/samp.lock")]
    [TestCase("std-lockurl:file://localhost/tmp/rig/samp.lock", "/tmp/rig/samp.lock")]
    [TestCase("std-lockurl:file:///tmp/with%20space/l", "/tmp/with space/l")]
    public void SampHubLockUrlFormsAreAccepted(string env, string path)
    {
        Assert.That(SampLockfile.LocatePath(env, "/home/someone"), Is.EqualTo(path));
    }

    [Test]
    public void WithoutSampHubTheHomeDotSampIsUsed()
    {
        Assert.That(SampLockfile.LocatePath(null, "/home/someone"), Is.EqualTo("/home/someone/.samp"));
        Assert.That(SampLockfile.LocatePath("", "/home/someone"), Is.EqualTo("/home/someone/.samp"));
    }

    [Test]
    public void OtherProfilesInSampHubAreRefusedClearly()
    {
        Assert.That(() => SampLockfile.LocatePath("http://127.0.0.1:21012/", "/h"),
            Throws.TypeOf<SampException>().With.Message.Contains("only 'std-lockurl:file:///path/to/lockfile'"));
        Assert.That(() => SampLockfile.LocatePath("std-lockurl:http://example.org/lock", "/h"),
            Throws.TypeOf<SampException>().With.Message.Contains("is not a file: URL"));
        Assert.That(() => SampLockfile.LocatePath("std-lockurl:file://otherhost/lock", "/h"),
            Throws.TypeOf<SampException>().With.Message.Contains("names host 'otherhost'"));
    }

    [Test]
    public void MissingLockfileReadsAsNull()
    {
        Assert.That(SampLockfile.TryRead(Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid(), "x")), Is.Null);
    }
}

using NUnit.Framework;
using VoScript.Integration.Tests.Serve;

namespace VoScript.Integration.Tests;

/// <summary>
/// After the last test of every namespace of this assembly: stops each <c>voscript serve</c> still running
/// (the shared field server of <see cref="Language.ServeRig"/>, and any a test left behind), so that none outlives the run.
/// </summary>
[SetUpFixture]
public sealed class ServeProcessBackstop
{
    [OneTimeTearDown]
    public Task StopServe() => ServeProcess.StopAllAsync();
}

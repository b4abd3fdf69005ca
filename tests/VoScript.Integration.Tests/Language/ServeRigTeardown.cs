using NUnit.Framework;
using VoScript.Integration.Tests.Language;

namespace VoScript.Integration.Tests;

/// <summary>Stops <c>voscript serve</c> (see <see cref="ServeRig"/>) after the last test of every namespace of this assembly.</summary>
[SetUpFixture]
public sealed class ServeRigTeardown
{
    [OneTimeTearDown]
    public void StopServe() => ServeRig.Stop();
}

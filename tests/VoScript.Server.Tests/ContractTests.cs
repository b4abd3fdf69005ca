using VoScript.Server;

namespace VoScript.Server.Tests;

public class ContractTests
{
    [Test]
    public void AdqlExceptionKeepsItsPosition()
    {
        var e = new AdqlException("unknown column 'foo'", 2, 8);
        Assert.That((e.Line, e.Column, e.Message), Is.EqualTo((2, 8, "unknown column 'foo'")));
    }
}

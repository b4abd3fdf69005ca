using System.Text;
using NUnit.Framework;
using VoScript.Engine.Protocols.Samp;

namespace VoScript.Engine.Tests.Samp;

public class XmlRpcCodecTests
{
    private static MemoryStream Doc(string xml) => new(Encoding.UTF8.GetBytes(xml));

    private static string DataFile(string name) =>
        Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "samp", name);

    [Test]
    public void JsampReceiveCallWithUntypedValuesDecodesToStrings()
    {
        using var f = File.OpenRead(DataFile("receiveCall-from-jsamp-hub.xml"));
        var call = XmlRpc.ReadCall(f);
        Assert.That(call.Method, Is.EqualTo("samp.client.receiveCall"));
        Assert.That(call.Params, Has.Count.EqualTo(4));
        Assert.That(call.Params[0], Is.EqualTo("k:1_fccqtkpajjjfhwbf"));
        Assert.That(call.Params[2], Is.EqualTo("c2_A_22d5_tag-1"));
        var msg = SampMessage.FromMap(call.Params[3]);
        Assert.That(msg.MType, Is.EqualTo("table.load.votable"));
        Assert.That(msg.Param("url"), Is.EqualTo("file:///tmp/sampt/t.vot"));
        Assert.That(msg.Param("table-id"), Is.EqualTo("t1"));
        Assert.That(msg.Extra, Is.Empty);
    }

    [Test]
    public void AstropyReceiveCallKeepsExtraMessageKeys()
    {
        using var f = File.OpenRead(DataFile("receiveCall-from-astropy-hub.xml"));
        var call = XmlRpc.ReadCall(f);
        Assert.That(call.Params[1], Is.EqualTo("cli#2"));
        Assert.That(call.Params[2], Is.EqualTo("msg#1;;cli#hub;;cli#2;;tag-1"));
        var msg = SampMessage.FromMap(call.Params[3]);
        Assert.That(msg.Param("url"), Is.EqualTo("file:///tmp/sampt/t.vot"));
        Assert.That(msg.Extra.Keys, Is.EquivalentTo(new[] { "host", "user" }));
    }

    [Test]
    public void CallRoundTripsNestedListsAndMaps()
    {
        var args = new object[]
        {
            "key & <secret>",
            new Dictionary<string, object>
            {
                ["samp.mtype"] = "table.select.rowList",
                ["samp.params"] = new Dictionary<string, object>
                {
                    ["row-list"] = new List<object> { "1", "3", "5" },
                    ["empty"] = "",
                    ["spaces"] = "  padded  ",
                    ["nested"] = new Dictionary<string, object> { ["k"] = new List<object>() },
                },
            },
        };
        var bytes = XmlRpc.WriteCall("samp.hub.notifyAll", args);
        var call = XmlRpc.ReadCall(new MemoryStream(bytes));
        Assert.That(call.Method, Is.EqualTo("samp.hub.notifyAll"));
        Assert.That(call.Params[0], Is.EqualTo("key & <secret>"));
        var ps = (IReadOnlyDictionary<string, object>)((IReadOnlyDictionary<string, object>)call.Params[1])["samp.params"];
        Assert.That(ps["row-list"], Is.EqualTo(new List<object> { "1", "3", "5" }));
        Assert.That(ps["empty"], Is.EqualTo(""));
        Assert.That(ps["spaces"], Is.EqualTo("  padded  "));
        Assert.That(((IReadOnlyDictionary<string, object>)ps["nested"])["k"], Is.Empty);
    }

    [Test]
    public void WriterEmitsOnlyStringArrayAndStruct()
    {
        var xml = Encoding.UTF8.GetString(XmlRpc.WriteCall("m", [new List<object> { "a" }, new Dictionary<string, object> { ["k"] = "v" }]));
        Assert.That(xml, Does.Contain("<string>a</string>").And.Contain("<array><data>").And.Contain("<struct><member><name>k</name>"));
        Assert.That(xml, Does.Not.Contain("<int>").And.Not.Contain("<i4>").And.Not.Contain("<boolean>"));
    }

    [Test]
    public void WriterRefusesNonSampTypes()
    {
        Assert.That(() => XmlRpc.WriteCall("m", [42]), Throws.ArgumentException.With.Message.Contains("strings, lists and maps only"));
    }

    [TestCase("<int>42</int>", "42")]
    [TestCase("<i4>-7</i4>", "-7")]
    [TestCase("<i8>12345678901</i8>", "12345678901")]
    [TestCase("<boolean>1</boolean>", "1")]
    [TestCase("<boolean>0</boolean>", "0")]
    [TestCase("<double>1.5</double>", "1.5")]
    [TestCase("untyped text", "untyped text")]
    [TestCase("  spaced  ", "  spaced  ")]
    [TestCase("", "")]
    [TestCase("<string></string>", "")]
    [TestCase("<string>&lt;a&gt;</string>", "<a>")]
    public void ScalarsAreReadLenientlyAsSampStrings(string inner, string expected)
    {
        var xml = $"<?xml version=\"1.0\"?><methodResponse><params><param><value>{inner}</value></param></params></methodResponse>";
        Assert.That(XmlRpc.ReadResponse(Doc(xml)), Is.EqualTo(expected));
    }

    [Test]
    public void EmptyValueElementIsEmptyString()
    {
        var xml = "<methodResponse><params><param><value/></param></params></methodResponse>";
        Assert.That(XmlRpc.ReadResponse(Doc(xml)), Is.EqualTo(""));
    }

    [Test]
    public void FaultBecomesFaultExceptionWithCodeAndText()
    {
        const string xml = """
            <?xml version="1.0"?>
            <methodResponse><fault><value><struct>
              <member><name>faultCode</name><value><int>7</int></value></member>
              <member><name>faultString</name><value><string>Bad secret code</string></value></member>
            </struct></value></fault></methodResponse>
            """;
        var e = Assert.Throws<XmlRpcFaultException>(() => XmlRpc.ReadResponse(Doc(xml)));
        Assert.That(e!.Code, Is.EqualTo(7));
        Assert.That(e.FaultString, Is.EqualTo("Bad secret code"));
    }

    [Test]
    public void WrittenFaultIsReadBack()
    {
        var e = Assert.Throws<XmlRpcFaultException>(() => XmlRpc.ReadResponse(new MemoryStream(XmlRpc.WriteFault(3, "nope \u0001 here"))));
        Assert.That(e!.Code, Is.EqualTo(3));
        Assert.That(e.FaultString, Is.EqualTo("nope ? here"));
    }

    [Test]
    public void DtdIsRefused()
    {
        const string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE methodCall [<!ENTITY x "expanded">]>
            <methodCall><methodName>samp.hub.ping</methodName><params><param><value>&x;</value></param></params></methodCall>
            """;
        Assert.That(() => XmlRpc.ReadCall(Doc(xml)), Throws.TypeOf<XmlRpcFormatException>().With.Message.Contains("DTD"));
    }

    [Test]
    public void WrongRootElementIsReported()
    {
        Assert.That(() => XmlRpc.ReadCall(Doc("<html><body>not xml-rpc</body></html>")),
            Throws.TypeOf<XmlRpcFormatException>().With.Message.EqualTo("expected <methodCall>, found <html>"));
    }

    [Test]
    public void UnknownValueTypeIsReported()
    {
        var xml = "<methodResponse><params><param><value><dateTime.iso8601>20261125T00:00:00</dateTime.iso8601></value></param></params></methodResponse>";
        Assert.That(() => XmlRpc.ReadResponse(Doc(xml)),
            Throws.TypeOf<XmlRpcFormatException>().With.Message.Contains("<dateTime.iso8601>").And.Message.Contains("expected string, array or struct"));
    }

    [Test]
    public void BadIntegerIsReported()
    {
        var xml = "<methodResponse><params><param><value><int>4x</int></value></param></params></methodResponse>";
        Assert.That(() => XmlRpc.ReadResponse(Doc(xml)), Throws.TypeOf<XmlRpcFormatException>().With.Message.Contains("'4x' is not an integer"));
    }

    [Test]
    public void TruncatedDocumentIsAFormatError()
    {
        Assert.That(() => XmlRpc.ReadCall(Doc("<methodCall><methodName>x</methodName><params><param><value><struct>")),
            Throws.TypeOf<XmlRpcFormatException>());
    }

    [Test]
    public void PrettyPrintedStructsIgnoreIndentation()
    {
        const string xml = """
            <methodResponse>
              <params>
                <param>
                  <value>
                    <struct>
                      <member>
                        <name>samp.self-id</name>
                        <value>c3</value>
                      </member>
                    </struct>
                  </value>
                </param>
              </params>
            </methodResponse>
            """;
        var map = (IReadOnlyDictionary<string, object>)XmlRpc.ReadResponse(Doc(xml));
        Assert.That(map["samp.self-id"], Is.EqualTo("c3"));
    }

    [TestCase("*", "table.load.votable", true)]
    [TestCase("table.*", "table.load.votable", true)]
    [TestCase("table.load.*", "table.load.votable", true)]
    [TestCase("table.load.votable", "table.load.votable", true)]
    [TestCase("table.*", "tablex.load", false)]
    [TestCase("image.*", "table.load.votable", false)]
    [TestCase("table.load.votable", "table.load.fits", false)]
    public void SubscriptionPatternsMatchAsSampSays(string pattern, string mtype, bool matches)
    {
        Assert.That(SampMTypes.Matches(pattern, mtype), Is.EqualTo(matches));
    }
}

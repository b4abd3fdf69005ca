using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NUnit.Framework;
using VoScript.Engine.Protocols.Samp;

namespace VoScript.Engine.Tests.Samp;

/// <summary>
/// The XML-RPC reader's limits (<see cref="XmlRpcLimits"/>): value nesting, document size for calls read by our
/// servers and for answers read from hubs and peers. Each ends in an error that names the limit.
/// </summary>
public class XmlRpcLimitsTests
{
    private static string Nested(int depth) =>
        "<?xml version=\"1.0\"?><methodCall><methodName>m</methodName><params><param>"
        + string.Concat(Enumerable.Repeat("<value><array><data>", depth)) + "<value>x</value>"
        + string.Concat(Enumerable.Repeat("</data></array></value>", depth)) + "</param></params></methodCall>";

    [Test]
    public void Values_nested_deeper_than_the_limit_are_refused_by_name()
    {
        Assert.That(XmlRpc.ReadCall(new MemoryStream(Encoding.UTF8.GetBytes(Nested(XmlRpcLimits.MaxDepth)))).Method, Is.EqualTo("m"));
        var e = Assert.Throws<XmlRpcFormatException>(() => XmlRpc.ReadCall(new MemoryStream(Encoding.UTF8.GetBytes(Nested(XmlRpcLimits.MaxDepth + 1)))))!;
        Assert.That(e.Message, Does.Contain("(XmlRpcLimits.MaxDepth)").And.Contain("64"));
        // far deeper: still the same error, no stack overflow
        Assert.Throws<XmlRpcFormatException>(() => XmlRpc.ReadCall(new MemoryStream(Encoding.UTF8.GetBytes(Nested(100_000)))));
    }

    [Test]
    public void A_document_larger_than_the_limit_is_refused()
    {
        var big = "<?xml version=\"1.0\"?><methodCall><methodName>m</methodName><params><param><value><string>"
                  + new string('a', (int)XmlRpcLimits.MaxDocumentBytes) + "</string></value></param></params></methodCall>";
        Assert.Throws<XmlRpcFormatException>(() => XmlRpc.ReadCall(new MemoryStream(Encoding.UTF8.GetBytes(big))));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task An_answer_larger_than_the_limit_is_refused_before_it_is_kept(bool withLength)
    {
        // a peer whose answer to any call is 200 MB (chunked, or with its length announced)
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var served = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var s = client.GetStream();
            var buf = new byte[65536];
            var head = new StringBuilder();
            while (!head.ToString().Contains("\r\n\r\n")) head.Append(Encoding.ASCII.GetString(buf, 0, await s.ReadAsync(buf)));
            var start = "<?xml version=\"1.0\"?><methodResponse><params><param><value><string>"u8.ToArray();
            var header = withLength
                ? $"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {200L << 20}\r\nConnection: close\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nConnection: close\r\n\r\n";
            try
            {
                await s.WriteAsync(Encoding.ASCII.GetBytes(header));
                await s.WriteAsync(start);
                var junk = new byte[1 << 16];
                junk.AsSpan().Fill((byte)'a');
                for (var sent = 0L; sent < 200L << 20; sent += junk.Length) await s.WriteAsync(junk);
            }
            catch (IOException) { } // the client hung up: what we want
        });
        using var rpc = new XmlRpcClient();
        var sw = Stopwatch.StartNew();
        var e = (await Assert.ThrowsAsync<SampException>(() => rpc.CallAsync(new Uri($"http://127.0.0.1:{port}/xmlrpc"), "samp.hub.ping", [], TimeSpan.FromSeconds(30), CancellationToken.None)))!;
        Assert.That(e.Message, Does.Contain("(XmlRpcLimits.MaxDocumentBytes)"));
        Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        await served.WaitAsync(TimeSpan.FromSeconds(20));
    }
}

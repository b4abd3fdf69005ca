using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NUnit.Framework;
using VoScript.Engine.Protocols.Http;

namespace VoScript.Engine.Tests.Protocols;

/// <summary>
/// A service whose TLS certificate this machine does not trust (self-signed here, served by a real TLS listener on
/// loopback): one attempt, not a retry loop, and a message that says what to check.
/// </summary>
public class TlsCertificateTests
{
    [Test]
    public async Task AnUntrustedCertificateIsNotRetriedAndTheMessageSaysWhatToDo()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var certificate = X509CertificateLoader.LoadPkcs12(selfSigned.Export(X509ContentType.Pfx), null);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var connections = 0;
        var server = Task.Run(async () =>
        {
            while (true)
            {
                TcpClient client;
                try { client = await listener.AcceptTcpClientAsync(); }
                catch (Exception e) when (e is SocketException or ObjectDisposedException) { return; }
                Interlocked.Increment(ref connections);
                _ = Task.Run(async () =>
                {
                    using (client)
                    await using (var tls = new SslStream(client.GetStream()))
                    {
                        try { await tls.AuthenticateAsServerAsync(certificate); }
                        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException) { }
                    }
                });
            }
        });
        try
        {
            using var http = new VoHttpClient(new VoHttpOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(10), MaxRetries = 3 });
            var url = new Uri($"https://localhost:{port}/tap/sync");
            var e = (await Assert.ThrowsAsync<ServiceException>(() => http.SendAsync(VoRequest.Get(url), CancellationToken.None)))!;
            Assert.That(e.Message, Does.StartWith("The service's TLS certificate was refused: "));
            Assert.That(e.Message, Does.Contain("SSL_CERT_FILE"));
            Assert.That(e.Message, Does.Not.Contain(".."));
            Assert.That(e.IsTransient, Is.False);
            Assert.That(connections, Is.EqualTo(1), "asked once: a refused certificate is refused again");
        }
        finally
        {
            listener.Stop();
            await server;
        }
    }
}

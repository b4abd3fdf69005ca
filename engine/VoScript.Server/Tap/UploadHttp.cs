using System.Net;
using System.Net.Sockets;

namespace VoScript.Server.Tap;

/// <summary>
/// The HTTP client serve fetches <c>UPLOAD=name,http://…</c> tables with. Unless local uploads are allowed, it connects
/// only to public addresses: the check is made on the address actually connected to (after DNS resolution, in
/// <see cref="SocketsHttpHandler.ConnectCallback"/>), so it holds for every redirect and against DNS tricks.
/// </summary>
internal static class UploadHttp
{
    public static HttpClient Create(bool allowLocal)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, allowLocal, ct),
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowLocal, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, ct).ConfigureAwait(false);
        if (addresses.Length == 0) throw new HttpRequestException($"{endpoint.Host} has no address");
        var allowed = allowLocal ? addresses : addresses.Where(IsPublic).ToArray();
        if (allowed.Length == 0)
            throw new HttpRequestException($"{endpoint.Host} is a local, private or otherwise non-public address ({addresses[0]}); " +
                                           "serve does not fetch uploads from such addresses unless started with --allow-local-uploads");
        Exception? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), ct).ConfigureAwait(false);
                // check again what the socket is connected to
                if (!allowLocal && socket.RemoteEndPoint is IPEndPoint remote && !IsPublic(remote.Address))
                    throw new HttpRequestException($"{endpoint.Host} connected to the non-public address {remote.Address}; refused");
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (Exception e) when (e is SocketException or HttpRequestException)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last is HttpRequestException h ? h : new HttpRequestException($"cannot connect to {endpoint.Host}:{endpoint.Port}: {last?.Message}", last);
    }

    /// <summary>
    /// False for loopback, unspecified, link-local, private (RFC 1918, unique local fc00::/7), carrier-grade NAT,
    /// multicast, broadcast, reserved and documentation ranges, in IPv4, IPv6 and IPv4-mapped or -compatible IPv6.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224
                     || (b[0] == 100 && b[1] >= 64 && b[1] < 128)
                     || (b[0] == 169 && b[1] == 254)
                     || (b[0] == 172 && b[1] >= 16 && b[1] < 32)
                     || (b[0] == 192 && b[1] == 168)
                     || (b[0] == 192 && b[1] == 0 && (b[2] == 0 || b[2] == 2))
                     || (b[0] == 198 && (b[1] == 18 || b[1] == 19))
                     || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                     || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return false;
        if (address.Equals(IPAddress.IPv6Loopback) || address.Equals(IPAddress.IPv6Any)) return false;
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal) return false;
        var v6 = address.GetAddressBytes();
        // IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) embed an IPv4 address: judge that one
        if (v6.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0) return IsPublic(new IPAddress(v6.AsSpan(12, 4)));
        if (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b && v6.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
            return IsPublic(new IPAddress(v6.AsSpan(12, 4)));
        if (v6[0] == 0x20 && v6[1] == 0x02) return IsPublic(new IPAddress(v6.AsSpan(2, 4)));
        if (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8) return false; // documentation
        return true;
    }
}

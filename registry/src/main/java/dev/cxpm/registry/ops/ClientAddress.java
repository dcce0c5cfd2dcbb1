package dev.cxpm.registry.ops;

import com.sun.net.httpserver.HttpExchange;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Who sent a request, for the per-address limit and the access log: the peer of the TCP connection, unless the
 * operator said a proxy in front sets {@code X-Forwarded-For} ({@code --trust-proxy}); then the last address in that
 * header, the one the proxy itself added. Without that option the header is ignored, so a client cannot pick its
 * own address to escape its limit. IPv6 clients are keyed by their /64: one host is usually given a whole /64, and
 * keying by full address would hand it 2^64 buckets.
 */
public final class ClientAddress {

    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private ClientAddress() {
    }

    /** The address as shown in the access log and recorded in the audit log. */
    public static InetAddress of(HttpExchange ex, boolean trustProxy) {
        InetAddress peer = ex.getRemoteAddress().getAddress();
        if (!trustProxy) {
            return peer;
        }
        List<String> forwarded = ex.getRequestHeaders().get("X-Forwarded-For");
        if (forwarded == null || forwarded.isEmpty()) {
            return peer;
        }
        String all = forwarded.get(forwarded.size() - 1);
        String last = all.substring(all.lastIndexOf(',') + 1).trim();
        return literal(last) == null ? peer : literal(last);
    }

    /** An IP address written as one, else null; never a name to look up (that would be a DNS query per request). */
    static InetAddress literal(String text) {
        if (!LITERAL.matcher(text).matches() || (text.indexOf(':') < 0 && !text.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The key of the address's bucket: an IPv4 address, or an IPv6 address's /64. */
    static String limitKey(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            return java.util.HexFormat.of().formatHex(b, 0, 8) + "::/64";
        }
        return a.getHostAddress();
    }
}

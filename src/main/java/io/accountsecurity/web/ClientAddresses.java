package io.accountsecurity.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

import io.accountsecurity.config.SecurityConfig;
import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;

/**
 * The client's address: the peer's, or, when the peer is a trusted proxy, the last address in
 * {@code X-Forwarded-For} that is not itself a trusted proxy. Trusted proxies are addresses or CIDR ranges
 * ({@code 10.0.0.0/8}), since an ingress controller's pods change address.
 */
@Singleton
public class ClientAddresses {

    private static final int MAX_LENGTH = 64;
    private final List<Range> trustedProxies;

    public ClientAddresses(SecurityConfig config) {
        this.trustedProxies = config.throttle().trustedProxies().orElse(List.of()).stream().map(Range::parse).toList();
    }

    /**
     * The client's address in its canonical text form (RFC 5952 for IPv6). Hops of {@code X-Forwarded-For} count only
     * as IP literals: the first hop from the right that is not a literal ends the walk at the last trusted address.
     */
    public String of(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? "unknown" : canonical(request.remoteAddress().hostAddress());
        if (!trusted(peer)) {
            return peer;
        }
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank()) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        String client = peer;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (Range.literal(hop) == null) {
                break;
            }
            client = canonical(hop);
            if (!trusted(client)) {
                break;
            }
        }
        return client;
    }

    /** An IP literal in its canonical text form; anything else as it is, bounded. */
    static String canonical(String address) {
        byte[] bytes = Range.literal(address);
        if (bytes == null) {
            return address.length() > MAX_LENGTH ? address.substring(0, MAX_LENGTH) : address;
        }
        return text(bytes);
    }

    /**
     * The address a throttle counts: an IPv4 address as it is, an IPv6 address by its /64, which a single client
     * (one home or one host) holds whole and could otherwise rotate through.
     */
    public static String group(String address) {
        byte[] bytes = Range.literal(address);
        if (bytes == null || bytes.length == 4) {
            return address;
        }
        return text(Arrays.copyOf(Arrays.copyOf(bytes, 8), 16)) + "/64";
    }

    private static String text(byte[] bytes) {
        try {
            return NetUtil.toAddressString(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an address of 4 or 16 bytes", e);
        }
    }

    boolean trusted(String address) {
        if (trustedProxies.isEmpty()) {
            return false;
        }
        byte[] bytes = Range.literal(address);
        return bytes != null && trustedProxies.stream().anyMatch(range -> range.contains(bytes));
    }

    /** An address or a CIDR range. */
    record Range(byte[] network, int prefix) {

        static Range parse(String text) {
            String[] parts = text.trim().split("/", 2);
            byte[] address = literal(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("not an IP address or CIDR range: " + text);
            }
            int prefix;
            try {
                prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > address.length * 8) {
                throw new IllegalArgumentException("not an IP address or CIDR range: " + text);
            }
            return new Range(address, prefix);
        }

        /** Whether the first {@code prefix} bits are the network's, compared in place (it runs for every login). */
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = Math.max(0, Math.min(prefix, network.length * 8));
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            int mask = (0xff << (8 - rest)) & 0xff;
            return rest == 0 || (address[whole] & mask) == (network[whole] & mask);
        }

        /**
         * The bytes of an IP literal in its standard forms (dotted-quad IPv4, RFC 4291 IPv6), or null: never a DNS
         * lookup, and no legacy form such as {@code 1.2.3} or {@code 0x7f.1}. An IPv4-mapped IPv6 address is its IPv4.
         */
        static byte[] literal(String text) {
            if (text.isEmpty() || text.length() > MAX_LENGTH) {
                return null;
            }
            byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
            if (bytes != null && bytes.length == 16 && isIpv4Mapped(bytes)) {
                return Arrays.copyOfRange(bytes, 12, 16);
            }
            return bytes;
        }

        private static boolean isIpv4Mapped(byte[] bytes) {
            for (int i = 0; i < 10; i++) {
                if (bytes[i] != 0) {
                    return false;
                }
            }
            return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
        }
    }
}

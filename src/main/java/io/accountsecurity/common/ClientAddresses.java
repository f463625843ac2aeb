package io.accountsecurity.common;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import io.accountsecurity.config.SecurityConfig;
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

    public String of(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        if (!trusted(peer)) {
            return peer;
        }
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank()) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!hop.isEmpty() && !trusted(hop)) {
                return hop.length() > MAX_LENGTH ? hop.substring(0, MAX_LENGTH) : hop;
            }
        }
        return peer;
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
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
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

        /** The bytes of an IP literal, or null: never a DNS lookup. */
        static byte[] literal(String text) {
            if (text.isEmpty() || !text.matches("[0-9a-fA-F:.]+")) {
                return null;
            }
            try {
                return InetAddress.getByName(text).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
    }
}

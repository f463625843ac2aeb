package io.accountsecurity.common;

import java.util.List;
import java.util.Set;

import io.accountsecurity.config.SecurityConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;

/**
 * The client's address: the peer's, or, when the peer is a trusted proxy, the last address in
 * {@code X-Forwarded-For} that is not itself a trusted proxy.
 */
@Singleton
public class ClientAddresses {

    private static final int MAX_LENGTH = 64;
    private final Set<String> trustedProxies;

    public ClientAddresses(SecurityConfig config) {
        this.trustedProxies = Set.copyOf(config.throttle().trustedProxies().orElse(List.of()));
    }

    public String of(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        if (!trustedProxies.contains(peer)) {
            return peer;
        }
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank()) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
                return hop.length() > MAX_LENGTH ? hop.substring(0, MAX_LENGTH) : hop;
            }
        }
        return peer;
    }
}

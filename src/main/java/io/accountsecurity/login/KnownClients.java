package io.accountsecurity.login;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.accountsecurity.web.ClientAddresses;
import jakarta.inject.Singleton;

/**
 * Client addresses (IPv6: their /64) from which a right password came in the last day, in this replica: under a
 * flood of logins they are served first ({@link io.accountsecurity.password.PasswordHasher}'s lanes). A hint for scheduling only, never a permission: the
 * counters and the password still decide. Bounded, so that a flood of addresses cannot grow it.
 */
@Singleton
public class KnownClients {

    static final int KEPT = 100_000;

    private final Cache<String, Boolean> known = Caffeine.newBuilder().maximumSize(KEPT)
            .expireAfterWrite(Duration.ofDays(1)).build();

    public void remember(String clientAddress) {
        known.put(ClientAddresses.group(clientAddress), Boolean.TRUE);
    }

    public boolean known(String clientAddress) {
        return known.getIfPresent(ClientAddresses.group(clientAddress)) != null;
    }
}

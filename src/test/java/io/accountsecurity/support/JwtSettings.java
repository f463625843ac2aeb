package io.accountsecurity.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.accountsecurity.config.JwtConfig;

/** Token settings for tests that build the token classes without Quarkus. */
public final class JwtSettings {

    private JwtSettings() {
    }

    /** The defaults, with these keys. */
    public static JwtConfig of(Path signingKey, Path verificationKeys) {
        return of(signingKey, verificationKeys, Duration.ofMinutes(15), 30);
    }

    public static JwtConfig of(Path signingKey, Path verificationKeys, Duration accessTokenLifetime,
            int clockSkewSeconds) {
        return new JwtConfig() {
            public String issuer() {
                return "https://issuer.test";
            }

            public String audience() {
                return "account-security";
            }

            public Optional<String> signingKeyLocation() {
                return Optional.ofNullable(signingKey).map(Path::toString);
            }

            public Optional<String> verificationKeysLocation() {
                return Optional.ofNullable(verificationKeys).map(Path::toString);
            }

            public boolean generateKeyIfMissing() {
                return false;
            }

            public Duration accessTokenLifetime() {
                return accessTokenLifetime;
            }

            public Duration mfaTokenLifetime() {
                return Duration.ofMinutes(5);
            }

            public Duration enrollmentTokenLifetime() {
                return Duration.ofMinutes(10);
            }

            public Duration reauthenticationAfter() {
                return Duration.ofMinutes(15);
            }

            public int clockSkewSeconds() {
                return clockSkewSeconds;
            }
        };
    }
}

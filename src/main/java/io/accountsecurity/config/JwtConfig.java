package io.accountsecurity.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Token settings; the environment variables are {@code JWT_ISSUER}, {@code JWT_SIGNING_KEY_LOCATION}, ... */
@ConfigMapping(prefix = "jwt")
public interface JwtConfig {

    /** The {@code iss} of every token, checked on every token we accept. */
    @WithDefault("https://account-security.local")
    String issuer();

    /** The {@code aud} of every token, checked on every token we accept. */
    @WithDefault("account-security")
    String audience();

    /**
     * PEM (PKCS#8) private key that signs tokens: Ed25519 signs EdDSA, RSA (2048 bits or more) signs RS256, EC P-256
     * signs ES256.
     */
    Optional<String> signingKeyLocation();

    /** PEM public keys (one or more {@code PUBLIC KEY} blocks) still accepted and published, for key rotation. */
    Optional<String> verificationKeysLocation();

    /** Generate a signing key at start-up when none is configured; true in dev and test only. */
    @WithDefault("false")
    boolean generateKeyIfMissing();

    /** Lifetime of access tokens. */
    @WithDefault("PT15M")
    Duration accessTokenLifetime();

    /** Lifetime of the {@code mfa} token between the password step and the second factor. */
    @WithDefault("PT5M")
    Duration mfaTokenLifetime();

    /** Lifetime of the {@code enrollment} token given when a community requires 2FA. */
    @WithDefault("PT10M")
    Duration enrollmentTokenLifetime();

    /**
     * How old a login ({@code auth_time}) may be for administrators' most dangerous actions (2FA reset, deactivation,
     * deletion); older, they answer 403 reauthentication-required. Env {@code JWT_REAUTHENTICATION_AFTER}.
     */
    @WithDefault("PT15M")
    Duration reauthenticationAfter();

    /** Clock skew tolerated when checking {@code exp}, in seconds: 1 to 300 (0 would turn the check off). */
    @WithDefault("30")
    int clockSkewSeconds();
}

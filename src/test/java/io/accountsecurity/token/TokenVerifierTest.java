package io.accountsecurity.token;

import static io.accountsecurity.support.OpenSsl.openssl;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.jose4j.jwt.JwtClaims;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.accountsecurity.config.JwtConfig;
import io.accountsecurity.support.JwtSettings;
import io.accountsecurity.support.MutableClock;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.ParseException;

/** The verified access tokens that {@link TokenVerifier} keeps: only exact, unexpired access tokens are served. */
class TokenVerifierTest {

    static Path key;

    @BeforeAll
    static void key() throws Exception {
        key = Files.createTempDirectory("token-verifier-test").resolve("ed25519.pem");
        openssl("genpkey", "-algorithm", "ed25519", "-out", key);
    }

    @Test
    void anAccessTokenIsCheckedOnceAndKeptUntilItExpires() throws Exception {
        // 15 minutes of life and 30 s of clock skew; the verifier's clock moves, nobody waits.
        JwtConfig config = JwtSettings.of(key, null);
        SigningKeys keys = new SigningKeys(config);
        MutableClock clock = new MutableClock();
        TokenVerifier verifier = new TokenVerifier(keys, config, clock);
        String token = issue(keys, config, TokenUse.ACCESS);

        JWTCallerPrincipal first = verifier.parse(token, null);
        assertEquals("alice", first.getName());
        assertSame(first, verifier.parse(token, null), "kept");

        // Within the skew after exp: still accepted, and still the kept principal.
        clock.shift(Duration.ofMinutes(15).plusSeconds(20));
        assertSame(first, verifier.parse(token, null), "kept within the skew");
        clock.shift(Duration.ofMinutes(15).plusSeconds(31));
        assertThrows(ParseException.class, () -> new TokenVerifier(keys, config, clock).parse(token, null), "expired");
        assertThrows(ParseException.class, () -> verifier.parse(token, null), "expired, although kept");
    }

    @Test
    void aTokenThatDiffersInOneCharacterIsCheckedAndRefused() throws Exception {
        JwtConfig config = JwtSettings.of(key, null);
        SigningKeys keys = new SigningKeys(config);
        TokenVerifier verifier = new TokenVerifier(keys, config, Clock.systemUTC());
        String token = issue(keys, config, TokenUse.ACCESS);
        verifier.parse(token, null);

        int last = token.length() - 2; // the last character of an Ed25519 signature carries only 4 bits
        String altered = token.substring(0, last) + (token.charAt(last) == 'A' ? 'B' : 'A') + token.substring(last + 1);
        assertThrows(ParseException.class, () -> verifier.parse(altered, null));
        String truncated = token.substring(0, token.lastIndexOf('.') + 1);
        assertThrows(ParseException.class, () -> verifier.parse(truncated, null));
        assertEquals("alice", verifier.parse(token, null).getName());
    }

    @Test
    void tokensOfTheOtherKindsAreCheckedEachTime() throws Exception {
        JwtConfig config = JwtSettings.of(key, null);
        SigningKeys keys = new SigningKeys(config);
        TokenVerifier verifier = new TokenVerifier(keys, config, Clock.systemUTC());
        for (TokenUse use : List.of(TokenUse.MFA, TokenUse.ENROLLMENT)) {
            String token = issue(keys, config, use);
            JWTCallerPrincipal first = verifier.parse(token, null);
            assertEquals(use.claim(), first.getClaim("token_use"));
            assertNotSame(first, verifier.parse(token, null), use + " tokens are not kept");
        }
    }

    @Test
    void everyClaimReadsAsSmallryeJwtsOwnPrincipalReadsIt() throws Exception {
        JwtConfig config = JwtSettings.of(key, null);
        SigningKeys keys = new SigningKeys(config);
        String token = issue(keys, config, TokenUse.ACCESS);
        JWTCallerPrincipal ours = new TokenVerifier(keys, config, Clock.systemUTC()).parse(token, null);
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        JWTCallerPrincipal theirs = new DefaultJWTCallerPrincipal(token, "JWT", JwtClaims.parse(payload));

        Set<String> names = new TreeSet<>(theirs.getClaimNames());
        assertTrue(names.containsAll(List.of("token_use", "amr", "tv", "sub", "upn", "jti", "exp")), names.toString());
        names.addAll(List.of("raw_token", "groups", "no_such_claim"));
        for (String name : names) {
            assertEquals(theirs.<Object>getClaim(name), ours.<Object>getClaim(name), name);
        }
        assertEquals("access", ours.getClaim("token_use"));
        assertEquals("0", String.valueOf(ours.<Object>getClaim("tv")));
        assertEquals("[pwd]", String.valueOf(ours.<Object>getClaim("amr")));
        assertNull(ours.getClaim("no_such_claim"));
    }

    private static String issue(SigningKeys keys, JwtConfig config, TokenUse use) {
        TokenIssuer issuer = new TokenIssuer(keys, config, Clock.systemUTC());
        TokenIssuer.Subject subject = new TokenIssuer.Subject(UUID.randomUUID(), "alice", false, 0);
        return use == TokenUse.ACCESS
                ? issuer.access(subject, List.of("pwd"), UUID.randomUUID(), java.time.Instant.now()).token()
                : issuer.issue(subject, use, List.of("pwd")).token();
    }
}

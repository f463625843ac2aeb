package io.accountsecurity;

import static io.accountsecurity.support.OpenSsl.openssl;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.accountsecurity.devdb.EmbeddedPostgresConfigSourceFactory;
import io.accountsecurity.support.Parallel;
import io.accountsecurity.twofactor.Totp;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The packaged jar in the prod profile, as operators run it: keys from files, the database from the environment.
 * Two instances share one database: a lockout on one holds on the other, and a token signed with the previous key
 * still verifies on an instance that lists that key for rotation.
 *
 * <p>The jar runs as the image runs it: on JDK 25 ({@code RUNTIME}, Temurin's by default) with the image's JVM
 * options and an AOT cache made first by the image's own training script (src/main/docker/aot-cache.sh), required
 * with {@code -XX:AOTMode=on} so that an unusable cache fails the start. Where that JDK is missing, on the JDK that
 * runs the tests, without a cache.
 */
class ProdJarIT {

    static final Path APP = Path.of("target", "quarkus-app").toAbsolutePath();
    static final Path RUNTIME = Path.of(System.getenv().getOrDefault("RUNTIME", "/usr/lib/jvm/temurin-25-jdk-amd64"));
    /** The JVM options of src/main/docker/Dockerfile.jvm and k8s/base/deployment.yaml, but the cache. */
    static final List<String> IMAGE_OPTIONS = List.of("-XX:+UseSerialGC", "-Xss512k", "-Xmx80m", "-Xmn16m",
            "-XX:TrimNativeHeapInterval=5000", "-XX:+ExitOnOutOfMemoryError");
    static final String CACHE = "app.aot";
    static boolean aot;

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "test-admin-password";
    static final String PASSWORD = "correct horse battery";
    static Path keys;
    static Map<String, String> database;
    static final List<Process> processes = new ArrayList<>();
    static final String encryptionKey = Base64.getEncoder().encodeToString(UUID.randomUUID().toString()
            .substring(0, 32).getBytes());

    @BeforeAll
    static void prepare() throws Exception {
        keys = Files.createTempDirectory("prod-it-keys");
        // The rotation also changes the key type, from RSA (RS256) to the recommended Ed25519 (EdDSA), as operators
        // of earlier versions do; SigningKeysTest covers EC P-256 too.
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", keys.resolve("old.pem"));
        openssl("genpkey", "-algorithm", "ed25519", "-out", keys.resolve("new.pem"));
        openssl("pkey", "-in", keys.resolve("old.pem"), "-pubout", "-out", keys.resolve("old.pub.pem"));
        database = new HashMap<>();
        String configured = System.getenv("QUARKUS_DATASOURCE_REACTIVE_URL");
        if (configured == null || configured.isBlank()) {
            database.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:"
                    + EmbeddedPostgresConfigSourceFactory.testDatabasePort() + "/postgres");
            database.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
            database.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        }
        aot = Files.isExecutable(RUNTIME.resolve("bin/java"));
        if (aot) {
            makeAotCache();
        }
    }

    /** The image's training run, on a database of its own in the same server. */
    private static void makeAotCache() throws Exception {
        String training = "prod_it_aot";
        try (java.sql.Connection c = connect(); java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("drop database if exists " + training);
            s.executeUpdate("create database " + training);
        }
        ProcessBuilder builder = new ProcessBuilder("bash", Path.of("src/main/docker/aot-cache.sh").toString(),
                APP.toString(), CACHE);
        builder.environment().putAll(database);
        builder.environment().put("QUARKUS_DATASOURCE_REACTIVE_URL",
                setting("QUARKUS_DATASOURCE_REACTIVE_URL").replaceFirst("/[^/?]*(\\?.*)?$", "/" + training));
        builder.environment().put("JAVA", RUNTIME.resolve("bin/java").toString());
        builder.environment().put("JAVA_OPTS", String.join(" ", IMAGE_OPTIONS));
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        Path log = keys.resolve("aot-cache.log");
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the training run should end");
        assertEquals(0, process.exitValue(), Files.readString(log));
        assertTrue(Files.size(APP.resolve(CACHE)) > 0);
    }

    private static String setting(String name) {
        return database.getOrDefault(name, System.getenv(name));
    }

    private static java.sql.Connection connect() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection("jdbc:" + setting("QUARKUS_DATASOURCE_REACTIVE_URL"),
                setting("QUARKUS_DATASOURCE_USERNAME"), setting("QUARKUS_DATASOURCE_PASSWORD"));
    }

    @AfterAll
    static void stop() {
        processes.forEach(Process::destroy);
    }

    @Test
    void withoutItsKeysOrWithAnUnsafeSettingTheServiceRefusesToStartAndNamesThem() throws Exception {
        Process process = launch(18090, Map.of("JWT_CLOCK_SKEW_SECONDS", "0"), keys.resolve("missing.log"));
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the start should fail");
        assertNotEquals(0, process.exitValue());
        String log = Files.readString(keys.resolve("missing.log"));
        assertTrue(log.contains("JWT_SIGNING_KEY_LOCATION"), log);
        assertTrue(log.contains("SECRETS_ENCRYPTION_KEY"), log);
        // With 0, smallrye-jwt would check no token's expiry.
        assertTrue(log.contains("JWT_CLOCK_SKEW_SECONDS between 1 and 300 (it is 0;"), log);
    }

    @Test
    void twoInstancesServeLoginsShareLockoutsAndAcceptThePreviousKeyDuringRotation() throws Exception {
        String before = startInstance(18091, Map.of("JWT_SIGNING_KEY_LOCATION", keys.resolve("old.pem").toString(),
                "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true"));
        String after = startInstance(18092, Map.of("JWT_SIGNING_KEY_LOCATION", keys.resolve("new.pem").toString(),
                "JWT_VERIFICATION_KEYS_LOCATION", keys.resolve("old.pub.pem").toString()));

        given().baseUri(before).get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        String oldKid = given().baseUri(before).get("/.well-known/jwks.json").then().statusCode(200)
                .body("keys", hasSize(1)).extract().path("keys[0].kid");
        given().baseUri(after).get("/.well-known/jwks.json").then().statusCode(200)
                .body("keys", hasSize(2)).body("keys.kid", hasItem(oldKid));

        // A token signed with the previous key verifies where that key is still listed.
        String adminToken = adminWithSecondFactor(before);
        bearer(after, adminToken).get("/api/v1/me").then().statusCode(200).body("username", equalTo(ADMIN));

        // A user enrolled on one instance...
        String username = "it-" + UUID.randomUUID().toString().substring(0, 8);
        bearer(before, adminToken).body(Map.of("username", username, "password", PASSWORD))
                .post("/api/v1/admin/users").then().statusCode(201);
        String token = json(before).body(Map.of("username", username, "password", PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(200).extract().path("access_token");
        String secret = bearer(before, token).body(Map.of("password", PASSWORD))
                .post("/api/v1/me/two-factor/enrollment").then().statusCode(201).extract().path("secret");
        byte[] key = org.jboss.aerogear.security.otp.api.Base32.decode(secret);
        long step = new Totp(Clock.systemUTC()).currentStep();
        bearer(after, token).body(Map.of("code", Totp.codeAt(key, step)))
                .post("/api/v1/me/two-factor/enrollment/confirm").then().statusCode(200);

        // ...is locked out on both after five wrong codes on one (an mfa token of the old key works on both).
        String mfa = json(before).body(Map.of("username", username, "password", PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(200).body("status", equalTo("MFA_REQUIRED"))
                .extract().path("mfa_token");
        for (int i = 0; i < 5; i++) {
            bearer(before, mfa).body(Map.of("code", Totp.codeAt(key, step + 9))).post("/api/v1/auth/login/verify")
                    .then().statusCode(401).body("type", equalTo("/problems/invalid-code"));
        }
        bearer(after, mfa).body(Map.of("code", Totp.codeAt(key, step + 1))).post("/api/v1/auth/login/verify")
                .then().statusCode(429).header("Retry-After", notNullValue());

        // A burst of wrong passwords sent at once to both instances is checked at most the limit's times in all:
        // the attempts take their slots in the shared database before hashing (per replica, each would allow 10).
        String target = "it-" + UUID.randomUUID().toString().substring(0, 8);
        bearer(before, adminToken).body(Map.of("username", target, "password", PASSWORD))
                .post("/api/v1/admin/users").then().statusCode(201);
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        List<Integer> burst = Parallel.run(40, () -> json(sent.getAndIncrement() % 2 == 0 ? before : after)
                .body(Map.of("username", target, "password", "wrong password")).post("/api/v1/auth/login")
                .statusCode());
        long checked = burst.stream().filter(s -> s == 401).count();
        assertTrue(checked >= 1 && checked <= 10, burst.toString());
        assertEquals(40, checked + burst.stream().filter(s -> s == 429).count(), burst.toString());

        // JSON log lines, none with a password, a token, a secret or a code.
        List<String> lines = Files.readAllLines(keys.resolve("instance-18091.log"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("{") && l.contains("\"message\"")), "JSON log lines");
        for (String line : lines) {
            for (String secretValue : List.of(ADMIN_PASSWORD, PASSWORD, adminToken.split("\\.")[1], mfa.split("\\.")[1],
                    token.split("\\.")[1], secret, encryptionKey)) {
                assertFalse(line.contains(secretValue), "a secret reached the log: " + line);
            }
        }

        given().baseUri(before).get("/q/metrics").then().statusCode(200)
                .body(containsString("account_security_logins_total"))
                .body(containsString("account_security_second_factor_total"))
                .body(containsString("account_security_lockouts_total"));
    }

    /**
     * The web app in Debian's Chromium, driven by e2e/webapp.mjs (Playwright) against this packaged service: sign-in,
     * enrollment from the QR code, backup codes, a session past its access token's expiry, the community policy.
     * {@code -Dwebapp.screenshots=docs/screenshots} refreshes the README's screenshots.
     */
    @Test
    void theWebAppWorksInARealBrowser() throws Exception {
        String base = startInstance(18095, Map.of("JWT_SIGNING_KEY_LOCATION", keys.resolve("new.pem").toString(),
                "JWT_ACCESS_TOKEN_LIFETIME", "PT6S", "JWT_CLOCK_SKEW_SECONDS", "1"));
        given().baseUri(base).get("/").then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", allOf(containsString("script-src 'self'"),
                        containsString("frame-ancestors 'none'"), not(containsString("unsafe-inline"))))
                .header("Referrer-Policy", "no-referrer").header("X-Content-Type-Options", "nosniff");
        given().baseUri(base).get("/app/app.js").then().statusCode(200)
                .header("Content-Security-Policy", notNullValue());

        String adminToken = adminWithSecondFactor(base);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String communityName = "Acme " + suffix;
        String community = bearer(base, adminToken).body(Map.of("name", communityName))
                .post("/api/v1/admin/communities").then().statusCode(201).extract().path("id");
        String alice = "alice-" + suffix;
        String bob = "bob-" + suffix;
        for (String[] member : new String[][] { { alice, "COMMUNITY_WRITE_ROLE" }, { bob, null } }) {
            List<String> roles = member[1] == null ? List.of() : List.of(member[1]);
            bearer(base, adminToken).body(Map.of("username", member[0], "password", PASSWORD,
                    "memberships", List.of(Map.of("community_id", community, "roles", roles))))
                    .post("/api/v1/admin/users").then().statusCode(201);
        }

        Path e2e = Path.of("e2e").toAbsolutePath();
        assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")),
                "the browser tests need Debian's Chromium: apt-get install chromium (.ci/run does)");
        if (!Files.isDirectory(e2e.resolve("node_modules"))) {
            Process install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(e2e.toFile())
                    .redirectErrorStream(true).redirectOutput(keys.resolve("npm.log").toFile()).start();
            assertTrue(install.waitFor(5, TimeUnit.MINUTES), "npm ci should end");
            assertEquals(0, install.exitValue(), Files.readString(keys.resolve("npm.log")));
        }
        ProcessBuilder run = new ProcessBuilder("node", "webapp.mjs").directory(e2e.toFile());
        run.environment().putAll(Map.of("BASE_URL", base, "ALICE", alice, "BOB", bob, "PASSWORD", PASSWORD,
                "COMMUNITY_ID", community, "COMMUNITY_NAME", communityName, "OUT", keys.toString()));
        String screenshots = System.getProperty("webapp.screenshots", "");
        if (!screenshots.isBlank()) {
            run.environment().put("SCREENSHOTS", Path.of(screenshots).toAbsolutePath().toString());
        }
        Path log = keys.resolve("webapp.log");
        Process browser = run.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(browser.waitFor(5, TimeUnit.MINUTES), "the browser tests should end");
        assertEquals(0, browser.exitValue(), Files.readString(log));
    }

    /**
     * The bootstrap administrator, enrolled in 2FA and logged in with a code, as administration requires. The unit
     * tests may have enrolled it in this database under another encryption key, so its 2FA is cleared first.
     */
    private static String adminWithSecondFactor(String base) throws Exception {
        try (java.sql.Connection c = connect(); java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("delete from totp_credentials where user_id = (select id from users where username = 'admin')");
        }
        String passwordOnly = json(base).body(Map.of("username", ADMIN, "password", ADMIN_PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(200).body("status", equalTo("AUTHENTICATED"))
                .extract().path("access_token");
        bearer(base, passwordOnly).body(Map.of("username", "x-" + UUID.randomUUID().toString().substring(0, 8),
                "password", PASSWORD)).post("/api/v1/admin/users").then().statusCode(403)
                .body("type", equalTo("/problems/two-factor-required-for-action"));
        String secret = bearer(base, passwordOnly).body(Map.of("password", ADMIN_PASSWORD))
                .post("/api/v1/me/two-factor/enrollment").then().statusCode(201).extract().path("secret");
        byte[] key = org.jboss.aerogear.security.otp.api.Base32.decode(secret);
        return bearer(base, passwordOnly).body(Map.of("code", Totp.codeAt(key, new Totp(Clock.systemUTC()).currentStep())))
                .post("/api/v1/me/two-factor/enrollment/confirm").then().statusCode(200).extract().path("access_token");
    }

    private static String startInstance(int port, Map<String, String> env) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("SECRETS_ENCRYPTION_KEY", encryptionKey);
        all.put("BOOTSTRAP_ADMIN_USERNAME", ADMIN);
        all.put("BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        all.put("ACCOUNT_SECURITY_PASSWORD_HASH_MEMORY_KIB", "1024");
        all.put("ACCOUNT_SECURITY_PASSWORD_HASH_ITERATIONS", "1");
        Process process = launch(port, all, keys.resolve("instance-" + port + ".log"));
        String base = "http://127.0.0.1:" + port;
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                fail("instance " + port + " stopped: " + Files.readString(keys.resolve("instance-" + port + ".log")));
            }
            try {
                if (given().baseUri(base).get("/q/health/ready").statusCode() == 200) {
                    return base;
                }
            } catch (Exception notYet) { // RestAssured rethrows ConnectException unchecked

                // connection refused while starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("instance " + port + " did not become ready");
    }

    private static Process launch(int port, Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add((aot ? RUNTIME : Path.of(System.getProperty("java.home"))).resolve("bin/java").toString());
        command.addAll(IMAGE_OPTIONS);
        if (aot) {
            // The cache's training profiles are not replayed: replayed, they made the Argon2 hash twice as slow.
            command.addAll(List.of("-XX:AOTMode=on", "-XX:AOTCache=" + CACHE, "-XX:+UnlockDiagnosticVMOptions",
                    "-XX:-AOTReplayTraining"));
        }
        command.addAll(List.of("-jar", "quarkus-run.jar"));
        // Started where the image starts it (its WORKDIR), so that the class path is the one the cache recorded.
        ProcessBuilder builder = new ProcessBuilder(command).directory(APP.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("JWT_") || k.startsWith("SECRETS_")
                || k.startsWith("BOOTSTRAP_"));
        builder.environment().putAll(database);
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static RequestSpecification json(String base) {
        return given().baseUri(base).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    private static RequestSpecification bearer(String base, String token) {
        return json(base).header("Authorization", "Bearer " + token);
    }
}

package io.accountsecurity.twofactor;

import static io.accountsecurity.support.Api.*;
import static io.accountsecurity.support.TwoFactor.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

import io.accountsecurity.support.MutableClock;
import io.accountsecurity.support.TwoFactor.Enrolled;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

@QuarkusTest
class TwoFactorFlowTest {

    @Inject
    MutableClock clock;

    @Test
    void enrollmentGivesASecretAUriAndAQrCodeThatEncodesIt() throws Exception {
        String username = unique("gina");
        createUser(username);
        String token = accessToken(username);
        JsonPath enrollment = startEnrollment(token);

        String secret = enrollment.getString("secret");
        assertTrue(secret.matches("[A-Z2-7]{32}"), "160 bits in base32: " + secret);
        String uri = enrollment.getString("otpauth_uri");
        assertEquals("otpauth://totp/SEKOIA.IO:" + username + "?secret=" + secret
                + "&issuer=SEKOIA.IO&algorithm=SHA1&digits=6&period=30", uri);
        assertNotNull(enrollment.getString("expires_at"));

        String dataUri = enrollment.getString("qr_code");
        assertTrue(dataUri.startsWith("data:image/png;base64,"));
        assertEquals(uri, decodeQr(Base64.getDecoder().decode(dataUri.substring("data:image/png;base64,".length()))));

        byte[] png = bearer(token).accept("image/png").get("/api/v1/me/two-factor/enrollment/qr-code").then()
                .statusCode(200).contentType("image/png").extract().asByteArray();
        assertEquals(uri, decodeQr(png));

        // Starting again replaces the secret.
        assertNotEquals(secret, startEnrollment(token).getString("secret"));
    }

    @Test
    void enrollmentNeedsThePassword() {
        String username = unique("hank");
        createUser(username);
        bearer(accessToken(username)).body(Map.of("password", "wrong password!"))
                .post("/api/v1/me/two-factor/enrollment").then().statusCode(401)
                .body("type", equalTo("/problems/invalid-credentials"));
    }

    @Test
    void noPendingEnrollment() {
        String username = unique("ivy");
        createUser(username);
        String token = accessToken(username);
        bearer(token).accept("image/png").get("/api/v1/me/two-factor/enrollment/qr-code").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/no-pending-enrollment"));
        bearer(token).body(Map.of("code", "123456")).post("/api/v1/me/two-factor/enrollment/confirm").then()
                .statusCode(404).body("type", equalTo("/problems/no-pending-enrollment"));
    }

    @Test
    void pendingEnrollmentExpiresAfterTenMinutes() {
        String username = unique("jack");
        createUser(username);
        String token = accessToken(username);
        byte[] secret = secretOf(startEnrollment(token));
        clock.shift(Duration.ofMinutes(10).plusSeconds(5));
        bearer(token).body(Map.of("code", code(clock, secret, 0))).post("/api/v1/me/two-factor/enrollment/confirm")
                .then().statusCode(404).body("type", equalTo("/problems/no-pending-enrollment"));
    }

    @Test
    void confirmationWithAWrongCodeIsRefused() {
        String username = unique("kim");
        createUser(username);
        String token = accessToken(username);
        byte[] secret = secretOf(startEnrollment(token));
        String wrong = code(clock, secret, 5);
        bearer(token).body(Map.of("code", wrong)).post("/api/v1/me/two-factor/enrollment/confirm").then()
                .statusCode(401).body("type", equalTo("/problems/invalid-code"));
        bearer(token).body(Map.of("code", "12345")).post("/api/v1/me/two-factor/enrollment/confirm").then()
                .statusCode(401).body("type", equalTo("/problems/invalid-code"));
    }

    @Test
    void confirmationTurnsTwoFactorOnAndTheLoginAsksForTheSecondFactor() {
        Enrolled user = enrolledUser(clock, unique("lena"), Map.of());
        assertEquals(10, user.backupCodes().size());
        JsonPath access = jwtPayload(user.accessToken());
        assertEquals(List.of("pwd", "otp"), access.getList("amr"));

        bearer(user.accessToken()).get("/api/v1/me").then().statusCode(200)
                .body("two_factor.enabled", equalTo(true))
                .body("two_factor.enabled_at", notNullValue())
                .body("two_factor.backup_codes_remaining", equalTo(10));
        bearer(user.accessToken()).body(Map.of("password", PASSWORD)).post("/api/v1/me/two-factor/enrollment")
                .then().statusCode(409).body("type", equalTo("/problems/two-factor-already-enabled"));

        login(user.username(), PASSWORD).then().statusCode(200)
                .body("status", equalTo("MFA_REQUIRED"))
                .body("mfa_token", notNullValue())
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(300))
                .body("methods", contains("totp", "backup_code"))
                .body("$", not(hasKey("access_token")));

        String mfa = mfaToken(user.username());
        String next = code(clock, user.secret(), 1);
        verify(mfa, "code", next).then().statusCode(200)
                .body("status", equalTo("AUTHENTICATED"))
                .body("amr", contains("pwd", "otp"))
                .body("expires_in", equalTo(900))
                .body("backup_codes_remaining", equalTo(10));
        // The same code again, or the step already used at enrollment: replays.
        verify(mfaToken(user.username()), "code", next).then().statusCode(401)
                .body("type", equalTo("/problems/invalid-code"));
        verify(mfaToken(user.username()), "code", code(clock, user.secret(), 0)).then().statusCode(401);
    }

    @Test
    void codesOfThePreviousCurrentAndNextStepAreAcceptedOlderOnesNot() {
        Enrolled user = enrolledUser(clock, unique("mona"), Map.of());
        // About five steps later, in the middle of a step, the app's codes of steps -2 .. +2 around "now".
        shiftToMidStep(clock, Duration.ofSeconds(150));
        verify(mfaToken(user.username()), "code", code(clock, user.secret(), -2)).then().statusCode(401);
        verify(mfaToken(user.username()), "code", code(clock, user.secret(), -1)).then().statusCode(200);
        verify(mfaToken(user.username()), "code", code(clock, user.secret(), 0)).then().statusCode(200);
        verify(mfaToken(user.username()), "code", code(clock, user.secret(), 1)).then().statusCode(200);
        // Once a later step is used, an earlier one is a replay even if still in the window.
        verify(mfaToken(user.username()), "code", code(clock, user.secret(), 0)).then().statusCode(401);
        verify(mfaToken(user.username()), "code", code(clock, user.secret(), 2)).then().statusCode(401);
    }

    @Test
    void backupCodesWorkOnceInAnyCaseAndSpacing() {
        Enrolled user = enrolledUser(clock, unique("nina"), Map.of());
        String first = user.backupCodes().get(0);
        verify(mfaToken(user.username()), "backup_code", first.toLowerCase().replace("-", " ")).then()
                .statusCode(200).body("status", equalTo("AUTHENTICATED"))
                .body("amr", contains("pwd", "otp"))
                .body("backup_codes_remaining", equalTo(9));
        verify(mfaToken(user.username()), "backup_code", first).then().statusCode(401)
                .body("type", equalTo("/problems/invalid-code"));
        verify(mfaToken(user.username()), "backup_code", user.backupCodes().get(1).replace("-", "")).then()
                .statusCode(200).body("backup_codes_remaining", equalTo(8));
        bearer(user.accessToken()).get("/api/v1/me/security-events").then().statusCode(200)
                .body("type", hasItems("BACKUP_CODE_USED", "TWO_FACTOR_ENABLED"))
                .body("[0].type", equalTo("BACKUP_CODE_USED"))
                .body("[0].client_address", notNullValue());
    }

    @Test
    void verifyTakesExactlyOneOfCodeAndBackupCode() {
        Enrolled user = enrolledUser(clock, unique("omar"), Map.of());
        String mfa = mfaToken(user.username());
        bearer(mfa).body(Map.of()).post("/api/v1/auth/login/verify").then().statusCode(400)
                .body("type", equalTo("/problems/invalid-request"));
        bearer(mfa).body(Map.of("code", "123456", "backup_code", "ABCD")).post("/api/v1/auth/login/verify").then()
                .statusCode(400);
    }

    @Test
    void regeneratedBackupCodesReplaceTheOldOnes() {
        Enrolled user = enrolledUser(clock, unique("pia"), Map.of());
        List<String> fresh = bearer(user.accessToken()).body(Map.of("password", PASSWORD))
                .post("/api/v1/me/two-factor/backup-codes").then().statusCode(201)
                .body("backup_codes", hasSize(10)).body("generated_at", notNullValue())
                .extract().jsonPath().getList("backup_codes");
        verify(mfaToken(user.username()), "backup_code", user.backupCodes().get(0)).then().statusCode(401);
        verify(mfaToken(user.username()), "backup_code", fresh.get(0)).then().statusCode(200)
                .body("backup_codes_remaining", equalTo(9));

        String text = bearer(user.accessToken()).accept("text/plain").body(Map.of("password", PASSWORD))
                .post("/api/v1/me/two-factor/backup-codes").then().statusCode(201)
                .contentType(startsWith("text/plain"))
                .header("Content-Disposition", "attachment; filename=\"backup-codes.txt\"")
                .extract().asString();
        List<String> lines = text.lines().toList();
        assertEquals(10, lines.size());
        verify(mfaToken(user.username()), "backup_code", fresh.get(1)).then().statusCode(401);
        verify(mfaToken(user.username()), "backup_code", lines.get(3)).then().statusCode(200);

        bearer(user.accessToken()).body(Map.of("password", "wrong password")).post("/api/v1/me/two-factor/backup-codes")
                .then().statusCode(401).body("type", equalTo("/problems/invalid-credentials"));
    }

    @Test
    void backupCodesNeedTwoFactor() {
        String username = unique("quinn");
        createUser(username);
        bearer(accessToken(username)).body(Map.of("password", PASSWORD)).post("/api/v1/me/two-factor/backup-codes")
                .then().statusCode(409).body("type", equalTo("/problems/two-factor-not-enabled"));
    }

    @Test
    void disablingRemovesTheSecondFactor() {
        Enrolled user = enrolledUser(clock, unique("rosa"), Map.of());
        bearer(user.accessToken()).body(Map.of("password", "wrong password")).post("/api/v1/me/two-factor/disable")
                .then().statusCode(401);
        bearer(user.accessToken()).body(Map.of("password", PASSWORD)).post("/api/v1/me/two-factor/disable")
                .then().statusCode(204);
        login(user.username(), PASSWORD).then().statusCode(200).body("status", equalTo("AUTHENTICATED"))
                .body("amr", contains("pwd"));
        bearer(user.accessToken()).get("/api/v1/me").then().body("two_factor.enabled", equalTo(false))
                .body("two_factor.backup_codes_remaining", equalTo(0));
        bearer(user.accessToken()).body(Map.of("password", PASSWORD)).post("/api/v1/me/two-factor/disable")
                .then().statusCode(409).body("type", equalTo("/problems/two-factor-not-enabled"));
        // The enrollment's password-only session ended with the change.
        bearer(user.accessToken()).get("/api/v1/me/security-events?limit=2").then().statusCode(200)
                .body("type", containsInAnyOrder("TWO_FACTOR_DISABLED", "SESSIONS_REVOKED"));
    }

    @Test
    void theMfaTokenWorksForTheSecondStepOnly() {
        Enrolled user = enrolledUser(clock, unique("sam"), Map.of());
        String mfa = mfaToken(user.username());
        bearer(mfa).get("/api/v1/me").then().statusCode(401).body("type", equalTo("/problems/unauthorized"));
        bearer(mfa).get("/api/v1/me/security-events").then().statusCode(401);
        bearer(mfa).body(Map.of("password", PASSWORD)).post("/api/v1/me/two-factor/enrollment").then().statusCode(401);
        bearer(mfa).body(Map.of("password", PASSWORD)).post("/api/v1/me/two-factor/backup-codes").then().statusCode(401);
        bearer(mfa).body(Map.of("password", PASSWORD)).post("/api/v1/me/two-factor/disable").then().statusCode(401);
        bearer(mfa).body(Map.of("name", "x")).post("/api/v1/admin/communities").then().statusCode(401);
        // and an access token is not an mfa token
        bearer(user.accessToken()).body(Map.of("code", "123456")).post("/api/v1/auth/login/verify").then()
                .statusCode(401);
    }

    @Test
    void badSecurityEventLimitIsInvalidRequest() {
        String username = unique("tom");
        createUser(username);
        bearer(accessToken(username)).get("/api/v1/me/security-events?limit=abc").then().statusCode(400)
                .body("errors.field", contains("limit"));
        bearer(accessToken(username)).get("/api/v1/me/security-events?limit=0").then().statusCode(400);
    }

    static JsonPath jwtPayload(String token) {
        return new JsonPath(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1])));
    }

    static String decodeQr(byte[] png) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        var source = new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels);
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)),
                java.util.Map.of(com.google.zxing.DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
    }
}

package io.accountsecurity.login;

import static io.accountsecurity.support.Api.*;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.accountsecurity.password.PasswordHasher;
import io.accountsecurity.problem.ProblemException;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;

/**
 * A login takes its place in the hashing lane when its headers arrive: when the lane is full it is refused before its
 * body is read or parsed, on a connection that stays usable; a place that no password check takes goes back.
 */
@QuarkusTest
class LoginAdmissionTest {

    @Inject
    PasswordHasher hasher;

    @Test
    void aLoginThatFindsItsLaneFullIsRefusedBeforeItsBodyIsParsed() {
        String nobody = unique("admission-nobody");
        List<PasswordHasher.Place> taken = fillLanes();
        long[] checks = hasher.checksSoFar();
        try {
            json().body(Map.of("username", nobody, "password", "not anyone's password")).post("/api/v1/auth/login")
                    .then().statusCode(503).contentType("application/problem+json").header("Retry-After", "1")
                    .header("Cache-Control", "no-store")
                    .body("type", equalTo("/problems/service-unavailable")).body("status", equalTo(503));
            // A body that would be a 400 is not even parsed.
            json().body("{\"username\": ").post("/api/v1/auth/login").then().statusCode(503)
                    .body("type", equalTo("/problems/service-unavailable"));
        } finally {
            taken.forEach(PasswordHasher.Place::release);
        }
        assertArrayEquals(checks, hasher.checksSoFar(), "no password was checked");
        login(nobody, "not anyone's password").then().statusCode(401);
    }

    @Test
    void theConnectionOfARefusedLoginServesTheNextRequest() throws IOException {
        // A body of 40 KB (the limit is 64 KiB) arrives in several reads: it is dropped unread, then answered.
        String body = "{\"username\":\"nobody\",\"password\":\"" + "p".repeat(40_000) + "\"}";
        List<PasswordHasher.Place> taken = fillLanes();
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String refused = readResponse(in);
            assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
            assertTrue(refused.contains("/problems/service-unavailable"), refused);

            out.write("GET /q/health/live HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String next = readResponse(in);
            assertTrue(next.startsWith("HTTP/1.1 200"), next);
        } finally {
            taken.forEach(PasswordHasher.Place::release);
        }
    }

    @Test
    void placesThatNoCheckTakesGoBackWhenTheExchangeEnds() {
        String username = unique("admission-user");
        createUser(username);
        int[] free = freePlaces();
        // More than a lane holds: each would keep its place if it were not given back.
        int requests = Math.max(free[0], free[1]) + 5;
        for (int i = 0; i < requests; i++) {
            // Refused by validation, by its media type, by its JSON: the resource never checks a password.
            json().body(Map.of("username", "x", "password", "y")).post("/api/v1/auth/login").then().statusCode(400);
            RestAssured.given().contentType("text/plain").body("username=x").post("/api/v1/auth/login").then()
                    .statusCode(415);
            json().body("{\"username\": [1]}").post("/api/v1/auth/login").then().statusCode(400);
        }
        // Places that a check took are free again too.
        login(username, PASSWORD).then().statusCode(200);
        login(username, "not the password").then().statusCode(401);
        assertArrayEquals(free, freePlaces(), "free places of the known and the other clients' lanes");
    }

    /** Takes every free place of both lanes. */
    private List<PasswordHasher.Place> fillLanes() {
        List<PasswordHasher.Place> taken = new ArrayList<>(takeAll(true));
        taken.addAll(takeAll(false));
        return taken;
    }

    /** How many places are free in the known clients' lane and in the others'. */
    private int[] freePlaces() {
        List<PasswordHasher.Place> known = takeAll(true);
        List<PasswordHasher.Place> others = takeAll(false);
        known.forEach(PasswordHasher.Place::release);
        others.forEach(PasswordHasher.Place::release);
        return new int[] { known.size(), others.size() };
    }

    /** Takes every free place of one lane. */
    private List<PasswordHasher.Place> takeAll(boolean known) {
        List<PasswordHasher.Place> taken = new ArrayList<>();
        try {
            while (true) {
                taken.add(hasher.admit(known));
                assertTrue(taken.size() < 10_000, "the lanes are bounded");
            }
        } catch (ProblemException full) {
            return taken;
        }
    }

    /** One HTTP/1.1 response with a Content-Length body, as text. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertNotEquals(-1, b, "the connection was closed");
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}

package io.accountsecurity.resilience;

import static io.accountsecurity.support.Api.*;
import static io.accountsecurity.support.TwoFactor.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.accountsecurity.support.LogCapture;
import io.accountsecurity.support.MutableClock;
import io.accountsecurity.support.Parallel;
import io.accountsecurity.support.TwoFactor.Enrolled;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;

/**
 * Clients that reset their connection right after sending a request, as a browser tab that closes or a client that
 * times out: the service must log no error for it, and keep every database connection for the requests that follow.
 */
@QuarkusTest
class ClientDisconnectTest {

    @Inject
    MutableClock clock;

    @BeforeEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void clientsThatVanishMidRequestCauseNoErrorAndLeakNoConnection() throws Exception {
        List<Enrolled> users = new ArrayList<>();
        List<String> mfaTokens = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Enrolled user = enrolledUser(clock, unique("vanish"), Map.of());
            users.add(user);
            mfaTokens.add(mfaToken(user.username()));
        }
        List<String> errors;
        try (LogCapture log = LogCapture.start()) {
            for (int i = 0; i < users.size(); i++) {
                Enrolled user = users.get(i);
                // The next step's code (the enrollment used the current one), and a wrong password.
                sendAndReset("/api/v1/auth/login/verify", mfaTokens.get(i),
                        "{\"code\":\"" + code(clock, user.secret(), 1) + "\"}");
                sendAndReset("/api/v1/auth/login", null,
                        "{\"username\":\"" + user.username() + "\",\"password\":\"wrong password\"}");
            }
            // More concurrent requests than the pool has connections (20): all served, so none was lost above.
            String token = users.get(0).accessToken();
            List<Integer> statuses = Parallel.run(40, () -> bearer(token).get("/api/v1/me").statusCode());
            assertTrue(statuses.stream().allMatch(s -> s == 200), statuses.toString());
            Thread.sleep(500); // let any dropped exception of the vanished requests reach the log
            errors = log.errors();
        }
        assertEquals(List.of(), errors);
    }

    /** Sends a request, then resets the connection at once (RST, no answer read). */
    private static void sendAndReset(String path, String bearer, String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n")
                + "Content-Length: " + body.length + "\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoLinger(true, 0);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        }
    }
}

package io.accountsecurity.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code openssl} command, as operators make their keys. */
public final class OpenSsl {

    private OpenSsl() {
    }

    public static void openssl(Object... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        for (Object a : args) {
            command.add(a.toString());
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command));
    }
}

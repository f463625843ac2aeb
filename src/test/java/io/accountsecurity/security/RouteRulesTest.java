package io.accountsecurity.security;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.accountsecurity.token.TokenUse;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;

/**
 * Every route of the service with the token it requires, as {@link TokenKindFilter} enforces it. A new route fails
 * here until it is added to the table, so that nobody adds an endpoint without deciding who may call it.
 */
class RouteRulesTest {

    private static final String ADMIN = "access group=platform-admin amr=otp";

    static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("GET /.well-known/jwks.json", "public"),
            Map.entry("POST /api/v1/auth/login", "public"),
            Map.entry("POST /api/v1/auth/login/verify", "mfa"),
            Map.entry("GET /api/v1/me", "access,enrollment standing-checked-by-endpoint"),
            Map.entry("GET /api/v1/me/sessions", "access"),
            Map.entry("POST /api/v1/me/password", "access"),
            Map.entry("DELETE /api/v1/me/sessions", "access"),
            Map.entry("DELETE /api/v1/me/sessions/{id}", "access"),
            Map.entry("POST /api/v1/auth/refresh", "public"),
            Map.entry("POST /api/v1/auth/logout", "access"),
            Map.entry("GET /api/v1/me/security-events", "access"),
            Map.entry("POST /api/v1/me/two-factor/enrollment", "access,enrollment"),
            Map.entry("GET /api/v1/me/two-factor/enrollment/qr-code", "access,enrollment"),
            Map.entry("POST /api/v1/me/two-factor/enrollment/confirm", "access,enrollment"),
            Map.entry("POST /api/v1/me/two-factor/backup-codes", "access"),
            Map.entry("POST /api/v1/me/two-factor/disable", "access"),
            Map.entry("GET /api/v1/communities/{id}/authentication-policy", "access"),
            Map.entry("PUT /api/v1/communities/{id}/authentication-policy", "access"),
            Map.entry("GET /api/v1/communities/{id}/managed", "access"),
            Map.entry("GET /api/v1/communities/{id}/security-events", "access"),
            Map.entry("POST /api/v1/admin/communities", ADMIN),
            Map.entry("GET /api/v1/admin/audit-events", ADMIN),
            Map.entry("GET /api/v1/admin/users", ADMIN),
            Map.entry("GET /api/v1/admin/users/{user_id}", ADMIN),
            Map.entry("PATCH /api/v1/admin/users/{user_id}", ADMIN + " recent-login"),
            Map.entry("DELETE /api/v1/admin/users/{user_id}", ADMIN + " recent-login"),
            Map.entry("GET /api/v1/admin/communities", ADMIN),
            Map.entry("DELETE /api/v1/admin/communities/{id}/members/{user_id}", ADMIN),
            Map.entry("POST /api/v1/admin/users", ADMIN),
            Map.entry("PUT /api/v1/admin/communities/{id}/members/{user_id}", ADMIN),
            Map.entry("DELETE /api/v1/admin/users/{user_id}/two-factor", ADMIN + " recent-login")));

    @Test
    void everyRouteHasTheRuleOfTheTable() throws Exception {
        Map<String, String> actual = new TreeMap<>();
        for (Class<?> resource : resourceClasses()) {
            String base = resource.getAnnotation(jakarta.ws.rs.Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                String verb = verb(method);
                if (verb == null) {
                    continue;
                }
                jakarta.ws.rs.Path sub = method.getAnnotation(jakarta.ws.rs.Path.class);
                String route = verb + " " + base + (sub == null ? "" : sub.value());
                assertNull(actual.put(route, describe(TokenKindFilter.ruleOf(method))), route + " twice");
            }
        }
        assertEquals(EXPECTED, actual);
    }

    @Test
    void aMethodCannotDropItsClassRequirements() throws Exception {
        Method narrowed = Narrowed.class.getDeclaredMethod("method");
        assertEquals("access group=platform-admin amr=otp", describe(TokenKindFilter.ruleOf(narrowed)));
        Method opened = Opened.class.getDeclaredMethod("method");
        assertThrows(IllegalStateException.class, () -> TokenKindFilter.ruleOf(opened));
    }

    @Accepts(value = TokenUse.ACCESS, group = "platform-admin", amr = "otp")
    static class Narrowed {
        @Accepts(TokenUse.ACCESS)
        public void method() {
        }
    }

    @Accepts(value = TokenUse.ACCESS, group = "platform-admin")
    static class Opened {
        @io.accountsecurity.web.Public
        public void method() {
        }
    }

    static String describe(TokenKindFilter.Rule rule) {
        if (rule.open()) {
            return "public";
        }
        String text = rule.kinds().stream().map(TokenUse::claim).sorted().collect(Collectors.joining(","));
        if (!rule.group().isEmpty()) {
            text += " group=" + rule.group();
        }
        if (!rule.amr().isEmpty()) {
            text += " amr=" + rule.amr().stream().sorted().collect(Collectors.joining(","));
        }
        if (rule.standingCheckedByEndpoint()) {
            text += " standing-checked-by-endpoint";
        }
        return rule.recentLogin() ? text + " recent-login" : text;
    }

    private static String verb(Method method) {
        for (Class<? extends java.lang.annotation.Annotation> verb : java.util.List.of(GET.class, POST.class,
                PUT.class, PATCH.class, DELETE.class)) {
            if (method.isAnnotationPresent(verb)) {
                return verb.getSimpleName();
            }
        }
        return null;
    }

    /** The classes of src/main with a JAX-RS {@code @Path}, found on the class path. */
    private static java.util.List<Class<?>> resourceClasses() throws IOException, URISyntaxException {
        Path root = Path.of(TokenKindFilter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .map(RouteRulesTest::load)
                    .filter(c -> c != null && c.isAnnotationPresent(jakarta.ws.rs.Path.class))
                    .toList();
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, RouteRulesTest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}

package io.accountsecurity.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The endpoint's own single statement checks that the token stands (live session, current token version), so the
 * filter does not add a round trip for it. Only for the hottest read, {@code GET /api/v1/me}; the route table test
 * lists every endpoint that carries it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface StandingCheckedByEndpoint {
}

package io.accountsecurity.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The endpoint needs a login ({@code auth_time}) no older than {@code jwt.reauthentication-after}, 403
 * reauthentication-required otherwise: the most dangerous actions ask for a fresh login, as GitHub's sudo mode does.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface RecentLogin {
}

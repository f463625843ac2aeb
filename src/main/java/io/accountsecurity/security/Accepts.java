package io.accountsecurity.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.accountsecurity.token.TokenUse;

/**
 * The kinds of token an endpoint takes; without it an endpoint takes access tokens only. On a class it applies to
 * every method; a method's own {@code @Accepts} replaces the kinds, and adds its group and amr to the class's, so a
 * method can never drop a requirement of its class.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface Accepts {

    TokenUse[] value();

    /** A group the token must carry as well (403 otherwise), e.g. {@code platform-admin}. */
    String group() default "";

    /** RFC 8176 methods the token's login must have used (403 two-factor-required-for-action otherwise). */
    String[] amr() default {};
}

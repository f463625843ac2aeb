package io.accountsecurity.token;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The kinds of token an endpoint takes; without it an endpoint takes access tokens only. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface Accepts {

    TokenUse[] value();

    /** A group the token must carry as well (403 otherwise), e.g. {@code platform-admin}. */
    String group() default "";
}

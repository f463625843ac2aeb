package io.accountsecurity.token;

import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import io.accountsecurity.common.Problem;
import io.accountsecurity.common.ProblemMappers;
import io.accountsecurity.common.ProblemType;
import io.accountsecurity.common.Public;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;

/**
 * Lets a request reach an endpoint only with a valid token of a kind that endpoint accepts: an {@code mfa} token works
 * for the second login step only, an {@code enrollment} token for enrollment and /me only. A missing, invalid or
 * wrong-kind token is 401; a missing group (administration) is 403.
 */
public class TokenKindFilter {

    private record Rule(boolean open, Set<TokenUse> kinds, String group) {
    }

    private static final Rule OPEN = new Rule(true, Set.of(), "");
    private final Map<Method, Rule> rules = new ConcurrentHashMap<>();
    private final CurrentIdentityAssociation identities;
    private final CurrentToken currentToken;

    public TokenKindFilter(CurrentIdentityAssociation identities, CurrentToken currentToken) {
        this.identities = identities;
        this.currentToken = currentToken;
    }

    @ServerRequestFilter
    public Uni<Response> check(SimpleResourceInfo resource) {
        Rule rule = rules.computeIfAbsent(methodOf(resource), TokenKindFilter::ruleOf);
        if (rule.open()) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity()
                .map(identity -> {
                    Response refusal = decide(rule, identity);
                    if (refusal == null) {
                        currentToken.set((JsonWebToken) identity.getPrincipal());
                    }
                    return refusal;
                })
                .onFailure().recoverWithItem(failure -> ProblemMappers.unauthorized());
    }

    private static Response decide(Rule rule, SecurityIdentity identity) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return unauthorized();
        }
        Object claim = jwt.getClaim("token_use");
        TokenUse use = TokenUse.fromClaim(claim instanceof jakarta.json.JsonString s ? s.getString() : String.valueOf(claim));
        if (use == null || !rule.kinds().contains(use)) {
            return unauthorized();
        }
        if (!rule.group().isEmpty() && !jwt.getGroups().contains(rule.group())) {
            return Problem.of(ProblemType.FORBIDDEN, "This action needs the " + rule.group() + " group.").toResponse();
        }
        return null;
    }

    private static Response unauthorized() {
        return ProblemMappers.unauthorized();
    }

    private static Method methodOf(SimpleResourceInfo resource) {
        try {
            return resource.getResourceClass().getMethod(resource.getMethodName(), resource.parameterTypes());
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Rule ruleOf(Method method) {
        if (method.isAnnotationPresent(Public.class) || method.getDeclaringClass().isAnnotationPresent(Public.class)) {
            return OPEN;
        }
        Accepts accepts = method.getAnnotation(Accepts.class);
        if (accepts == null) {
            accepts = method.getDeclaringClass().getAnnotation(Accepts.class);
        }
        if (accepts == null) {
            return new Rule(false, EnumSet.of(TokenUse.ACCESS), "");
        }
        return new Rule(false, EnumSet.of(accepts.value()[0], accepts.value()), accepts.group());
    }
}

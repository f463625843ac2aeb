package io.accountsecurity.security;

import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import io.accountsecurity.config.JwtConfig;
import io.accountsecurity.problem.Problem;
import io.accountsecurity.problem.ProblemMappers;
import io.accountsecurity.problem.ProblemType;
import io.accountsecurity.token.TokenStanding;
import io.accountsecurity.token.TokenUse;
import io.accountsecurity.web.ClientAddresses;
import io.accountsecurity.web.Public;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.ws.rs.core.Response;

/**
 * The one place where endpoints' token rules are enforced: a request reaches an endpoint only with a valid token of a
 * kind that endpoint accepts ({@code mfa} tokens for the second login step only, {@code enrollment} tokens for
 * enrollment and /me only), carrying the group and amr it requires, confirmed in the database for a privileged group,
 * and from a recent enough login where the endpoint says so; and, for access tokens, that the token still stands
 * (its session live, its account's tokens not revoked), so that no endpoint can forget revocation. A missing, invalid or wrong-kind token is 401; a missing
 * group 403 forbidden, a missing second factor 403 two-factor-required-for-action, an old login 403
 * reauthentication-required.
 */
public class TokenKindFilter {

    /** What an endpoint requires of a token; {@code open} endpoints take none. */
    public record Rule(boolean open, Set<TokenUse> kinds, String group, Set<String> amr, boolean recentLogin,
            boolean standingCheckedByEndpoint) {
    }

    static final Rule OPEN = new Rule(true, Set.of(), "", Set.of(), false, false);
    private final Map<Method, Rule> rules = new ConcurrentHashMap<>();
    private final CurrentIdentityAssociation identities;
    private final CurrentToken currentToken;
    private final ClientAddresses clientAddresses;
    private final TokenStanding standing;
    private final Clock clock;
    private final Duration reauthenticationAfter;

    public TokenKindFilter(CurrentIdentityAssociation identities, CurrentToken currentToken, TokenStanding standing,
            Clock clock, JwtConfig config, ClientAddresses clientAddresses) {
        this.identities = identities;
        this.clientAddresses = clientAddresses;
        this.currentToken = currentToken;
        this.standing = standing;
        this.clock = clock;
        this.reauthenticationAfter = config.reauthenticationAfter();
    }

    @ServerRequestFilter
    public Uni<Response> check(SimpleResourceInfo resource, HttpServerRequest request) {
        Rule rule = rules.computeIfAbsent(methodOf(resource), TokenKindFilter::ruleOf);
        if (rule.open()) {
            return Uni.createFrom().nullItem();
        }
        // An invalid token fails the identity: 401. A database failure of the standing check is no verdict on the
        // token, and goes on to the exception mappers (503).
        return identities.getDeferredIdentity()
                .onFailure().recoverWithNull()
                .flatMap(identity -> {
                    if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
                        return Uni.createFrom().item(ProblemMappers.unauthorized());
                    }
                    TokenUse use = TokenUse.fromClaim(text(jwt.getClaim("token_use")));
                    if (use == null || !rule.kinds().contains(use)) {
                        return Uni.createFrom().item(ProblemMappers.unauthorized());
                    }
                    // A revoked token is 401 whatever else it lacks: its standing is checked before the 403s.
                    Uni<Response> answer = use == TokenUse.ACCESS && !rule.standingCheckedByEndpoint()
                            ? confirmStanding(rule, jwt).map(refusal -> refusal != null ? refusal : decide(rule, jwt))
                            : Uni.createFrom().item(decide(rule, jwt));
                    return answer.invoke(finalRefusal -> {
                        if (finalRefusal == null) {
                            currentToken.set(jwt, clientAddresses.of(request));
                        }
                    });
                });
    }

    /** The 403 checks that the token alone answers. */
    private Response decide(Rule rule, JsonWebToken jwt) {
        if (!rule.group().isEmpty() && !jwt.getGroups().contains(rule.group())) {
            return forbidden(rule);
        }
        if (!amrOf(jwt).containsAll(rule.amr())) {
            return Problem.of(ProblemType.TWO_FACTOR_REQUIRED_FOR_ACTION,
                    "This action needs a login with two-factor authentication: enable it if needed, log in again "
                            + "with a code, then retry.").toResponse();
        }
        if (rule.recentLogin() && !recent(jwt.getClaim("auth_time"))) {
            return Problem.of(ProblemType.REAUTHENTICATION_REQUIRED, "This action needs a login at most "
                    + reauthenticationAfter.toMinutes() + " minutes old: log in again, then retry.").toResponse();
        }
        return null;
    }

    /**
     * The revocation check of every access token, in one statement: its session is live, its account's tokens were
     * not revoked, and the group (if the endpoint needs one) is still held. An ended session, a deleted account or a
     * demoted administrator stops at once.
     */
    private Uni<Response> confirmStanding(Rule rule, JsonWebToken jwt) {
        String sid = text(jwt.getClaim("sid"));
        if (sid == null || "null".equals(sid)) {
            return Uni.createFrom().item(ProblemMappers.unauthorized());
        }
        return standing.check(UUID.fromString(jwt.getSubject()), number(jwt.getClaim("tv")), UUID.fromString(sid),
                rule.group()).map(answer -> switch (answer) {
                    case STANDS -> null;
                    case GROUP_NOT_HELD -> forbidden(rule);
                    case REVOKED -> ProblemMappers.unauthorized();
                });
    }



    private boolean recent(Object authTime) {
        if (!(authTime instanceof JsonNumber) && !(authTime instanceof Number)) {
            return false;
        }
        long seconds = authTime instanceof JsonNumber n ? n.longValue() : ((Number) authTime).longValue();
        return clock.instant().getEpochSecond() - seconds <= reauthenticationAfter.toSeconds();
    }

    private static Response forbidden(Rule rule) {
        return Problem.of(ProblemType.FORBIDDEN, "This action needs the " + rule.group() + " group.").toResponse();
    }

    private static Set<String> amrOf(JsonWebToken jwt) {
        Object claim = jwt.getClaim("amr");
        Set<String> amr = new LinkedHashSet<>();
        if (claim instanceof Collection<?> values) {
            values.forEach(value -> amr.add(text(value)));
        }
        return amr;
    }

    // Custom claims come back as JSON-P values.
    private static String text(Object claim) {
        return claim instanceof JsonString s ? s.getString() : claim == null ? null : String.valueOf(claim);
    }

    private static int number(Object claim) {
        return claim instanceof JsonNumber n ? n.intValue() : claim instanceof Number n ? n.intValue() : -1;
    }

    private static Method methodOf(SimpleResourceInfo resource) {
        try {
            return resource.getResourceClass().getMethod(resource.getMethodName(), resource.parameterTypes());
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An endpoint's rule: {@code @Public} opens it; otherwise the method's {@code @Accepts} kinds, else the class's,
     * else access tokens only, with the groups and amr of both annotations and {@code @RecentLogin} of either.
     */
    public static Rule ruleOf(Method method) {
        Class<?> type = method.getDeclaringClass();
        Accepts onClass = type.getAnnotation(Accepts.class);
        Accepts onMethod = method.getAnnotation(Accepts.class);
        boolean recentLogin = method.isAnnotationPresent(RecentLogin.class) || type.isAnnotationPresent(RecentLogin.class);
        boolean ownCheck = method.isAnnotationPresent(StandingCheckedByEndpoint.class);
        if (method.isAnnotationPresent(Public.class) || type.isAnnotationPresent(Public.class)) {
            if (onClass != null || onMethod != null || recentLogin || ownCheck) {
                throw new IllegalStateException(method + " is @Public but also names token requirements");
            }
            return OPEN;
        }
        Accepts kindsFrom = onMethod != null ? onMethod : onClass;
        Set<TokenUse> kinds = kindsFrom == null ? EnumSet.of(TokenUse.ACCESS) : EnumSet.copyOf(Arrays.asList(kindsFrom.value()));
        Set<String> groupNames = new LinkedHashSet<>();
        Set<String> amr = new LinkedHashSet<>();
        for (Accepts accepts : new Accepts[] { onClass, onMethod }) {
            if (accepts != null) {
                if (!accepts.group().isEmpty()) {
                    groupNames.add(accepts.group());
                }
                amr.addAll(Arrays.asList(accepts.amr()));
            }
        }
        if (groupNames.size() > 1) {
            throw new IllegalStateException(method + " names two groups");
        }
        if (ownCheck && !groupNames.isEmpty()) {
            throw new IllegalStateException(method + " needs a group, which only the filter's check confirms");
        }
        String group = groupNames.isEmpty() ? "" : groupNames.iterator().next();
        return new Rule(false, Set.copyOf(kinds), group, Set.copyOf(amr), recentLogin, ownCheck);
    }
}

package io.accountsecurity.security;

import java.util.List;

/** The admin routes of {@link RouteRulesTest}'s table, for the tests that walk them over HTTP. */
public final class RouteRulesTestAccess {

    private RouteRulesTestAccess() {
    }

    /** Every route with its rule, as the table describes it ("public", "access", ...). */
    public static java.util.Map<String, String> rules() {
        return RouteRulesTest.EXPECTED;
    }

    public static List<String> adminRoutes() {
        return RouteRulesTest.EXPECTED.keySet().stream().filter(route -> route.contains(" /api/v1/admin/")).sorted()
                .toList();
    }
}

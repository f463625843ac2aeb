package io.accountsecurity;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import io.accountsecurity.admin.Directory;
import io.accountsecurity.me.AccountOverview;
import io.accountsecurity.session.LiveSessions;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.ws.rs.Path;

/**
 * The package structure that docs/architecture.md describes: dependencies run one way, from the features down to the
 * foundation, and only services reach the database.
 */
class ArchitectureTest {

    static final JavaClasses SERVICE = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages("io.accountsecurity");

    @Test
    void packagesFormNoCycle() {
        slices().matching("io.accountsecurity.(*)..").should()
            .beFreeOfCycles().check(SERVICE);
    }

    @Test
    void layersDependDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Foundation").definedBy("io.accountsecurity.config..", "io.accountsecurity.problem..",
                    "io.accountsecurity.db..", "io.accountsecurity.platform..", "io.accountsecurity.web..",
                    "io.accountsecurity.devdb..")
            .layer("Tokens").definedBy("io.accountsecurity.token..")
            .layer("Accounts").definedBy("io.accountsecurity.account..", "io.accountsecurity.events..",
                    "io.accountsecurity.throttle..")
            .layer("Requests").definedBy("io.accountsecurity.security..")
            .layer("Features").definedBy("io.accountsecurity.session..", "io.accountsecurity.password..",
                    "io.accountsecurity.twofactor..", "io.accountsecurity.login..", "io.accountsecurity.community..",
                    "io.accountsecurity.me..", "io.accountsecurity.admin..")
            .whereLayer("Foundation").mayOnlyAccessLayers("Foundation")
            .whereLayer("Tokens").mayOnlyAccessLayers("Foundation")
            .whereLayer("Accounts").mayOnlyAccessLayers("Foundation", "Tokens")
            .whereLayer("Requests").mayOnlyAccessLayers("Foundation", "Tokens", "Accounts").check(SERVICE);
    }

    /** Each table's owner: the one class that runs statements on its entity through Panache. */
    static final Map<String, Set<String>> OWNERS = Map.of(
            "io.accountsecurity.account.User", Set.of("io.accountsecurity.account.Users"),
            "io.accountsecurity.account.Membership", Set.of("io.accountsecurity.account.Memberships"),
            "io.accountsecurity.account.Community", Set.of("io.accountsecurity.account.Communities"),
            "io.accountsecurity.events.SecurityEvent", Set.of("io.accountsecurity.events.SecurityEvents"),
            "io.accountsecurity.session.Session", Set.of("io.accountsecurity.session.Sessions"),
            "io.accountsecurity.session.ExchangedRefreshToken", Set.of("io.accountsecurity.session.Sessions"),
            "io.accountsecurity.admin.AuditEvent", Set.of("io.accountsecurity.admin.AuditTrail"),
            "io.accountsecurity.twofactor.TotpCredential", Set.of("io.accountsecurity.twofactor.Factors"),
            "io.accountsecurity.twofactor.BackupCode", Set.of("io.accountsecurity.twofactor.Factors"),
            "io.accountsecurity.throttle.AttemptCounter", Set.of("io.accountsecurity.throttle.AttemptThrottle"));

    /**
     * The hot reads that join several tables on the reactive SQL client, beside Hibernate Reactive; they never write
     * (every write goes through Hibernate Reactive, so no table is written through two APIs).
     */
    static final Set<Class<?>> SQL_CLIENT_READERS = Set.of(Directory.class, AccountOverview.class, LiveSessions.class);

    @Test
    void onlyTheHotReadsUseTheSqlClient() {
        noClasses().that(new DescribedPredicate<JavaClass>("are not one of " + SQL_CLIENT_READERS) {
            @Override
            public boolean test(JavaClass input) {
                return SQL_CLIENT_READERS.stream().noneMatch(input::isEquivalentTo);
            }
        }).should().dependOnClassesThat().resideInAnyPackage("io.vertx.mutiny.sqlclient..")
                .because("writes go through Hibernate Reactive; see docs/architecture.md").check(SERVICE);
    }

    private static final Pattern WRITE = Pattern.compile("\\b(insert|update|delete|merge|truncate)\\b",
            Pattern.CASE_INSENSITIVE);

    @Test
    void theSqlClientReadsNeverWrite() throws IllegalAccessException {
        for (Class<?> reader : SQL_CLIENT_READERS) {
            int statements = 0;
            for (Field field : reader.getDeclaredFields()) {
                if (field.getType() == String.class && Modifier.isStatic(field.getModifiers())) {
                    field.setAccessible(true);
                    String sql = (String) field.get(null);
                    statements++;
                    assertFalse(WRITE.matcher(sql).find(), reader.getSimpleName() + "." + field.getName()
                            + " writes on the SQL client: " + sql);
                }
            }
            assertTrue(statements > 0, reader.getSimpleName() + " has no statement to check");
        }
    }

    @Test
    void onlyItsOwnerRunsStatementsOnAnEntity() {
        classes().should(new ArchCondition<JavaClass>("run Panache statements only on the entities they own") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (JavaMethodCall call : origin.getMethodCallsFromSelf()) {
                    JavaClass target = call.getTargetOwner();
                    boolean panache = call.getTarget().resolveMember()
                            .map(m -> m.getOwner().isEquivalentTo(PanacheEntityBase.class)).orElse(false);
                    Set<String> owners = OWNERS.get(target.getName());
                    if (!panache || origin.getName().equals(target.getName())) {
                        continue;
                    }
                    if (owners == null || !owners.contains(origin.getName())) {
                        events.add(SimpleConditionEvent.violated(call, call.getDescription()
                                + ": only " + owners + " may run statements on " + target.getSimpleName()));
                    }
                }
            }
        }).check(SERVICE);
    }

    @Test
    void resourcesDoNotQuery() {
        noClasses().that().areAnnotatedWith(Path.class).should()
            .dependOnClassesThat().resideInAnyPackage("io.vertx.mutiny.sqlclient..", "io.vertx.sqlclient..",
                    "io.quarkus.hibernate.reactive.panache..", "org.hibernate..", "io.accountsecurity.db..")
            .because("resources keep the HTTP shapes; services own the transactions and statements")
            .check(SERVICE);
    }
}

package io.accountsecurity;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

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

    @Test
    void resourcesDoNotQuery() {
        noClasses().that().areAnnotatedWith(Path.class).should()
            .dependOnClassesThat().resideInAnyPackage("io.vertx.mutiny.sqlclient..", "io.vertx.sqlclient..",
                    "io.quarkus.hibernate.reactive.panache..", "org.hibernate..", "io.accountsecurity.db..")
            .because("resources keep the HTTP shapes; services own the transactions and statements")
            .check(SERVICE);
    }
}

package io.accountsecurity.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/** Prometheus counters of what operators watch: logins, second factors, lockouts, policy changes. */
@Singleton
public class SecurityMetrics {

    private final Counter passwordSuccess;
    private final Counter passwordFailure;
    private final Counter secondFactorSuccess;
    private final Counter secondFactorFailure;
    private final Counter lockouts;
    private final Counter policyChanges;
    private final MeterRegistry registry;

    public SecurityMetrics(MeterRegistry registry) {
        this.registry = registry;
        passwordSuccess = Counter.builder("account_security_logins").tag("step", "password").tag("result", "success")
                .description("Password steps").register(registry);
        passwordFailure = Counter.builder("account_security_logins").tag("step", "password").tag("result", "failure")
                .description("Password steps").register(registry);
        secondFactorSuccess = Counter.builder("account_security_second_factor").tag("result", "success")
                .description("Second-factor verifications").register(registry);
        secondFactorFailure = Counter.builder("account_security_second_factor").tag("result", "failure")
                .description("Second-factor verifications").register(registry);
        lockouts = Counter.builder("account_security_lockouts").description("Lockouts started").register(registry);
        policyChanges = Counter.builder("account_security_policy_changes")
                .description("Community 2FA policy changes").register(registry);
    }

    public void password(boolean success) {
        (success ? passwordSuccess : passwordFailure).increment();
    }

    public void secondFactor(boolean success) {
        (success ? secondFactorSuccess : secondFactorFailure).increment();
    }

    public void lockout() {
        lockouts.increment();
    }

    /** A refresh by result: success, unknown, ended, reused, enrollment_required. */
    public void refresh(String result) {
        Counter.builder("account_security_refreshes").tag("result", result).description("Session refreshes")
                .register(registry).increment();
    }

    public void policyChange(int communities) {
        policyChanges.increment(communities);
    }
}

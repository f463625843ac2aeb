package io.accountsecurity.auth;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.accountsecurity.community.CommunityRef;

/**
 * The answer of a login step. {@code status} tells which fields are present: AUTHENTICATED (access_token, amr;
 * backup_codes_remaining after the second step), MFA_REQUIRED (mfa_token, methods), MFA_ENROLLMENT_REQUIRED
 * (enrollment_token, required_by).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoginResult(String status, String accessToken, String mfaToken, String enrollmentToken,
        String tokenType, long expiresIn, List<String> amr, List<String> methods, List<CommunityRef> requiredBy,
        Integer backupCodesRemaining) {

    public static LoginResult authenticated(String token, long expiresIn, List<String> amr, Integer remaining) {
        return new LoginResult("AUTHENTICATED", token, null, null, "Bearer", expiresIn, amr, null, null, remaining);
    }

    public static LoginResult mfaRequired(String token, long expiresIn) {
        return new LoginResult("MFA_REQUIRED", null, token, null, "Bearer", expiresIn, null,
                List.of("totp", "backup_code"), null, null);
    }

    public static LoginResult enrollmentRequired(String token, long expiresIn, List<CommunityRef> requiredBy) {
        return new LoginResult("MFA_ENROLLMENT_REQUIRED", null, null, token, "Bearer", expiresIn, null, null,
                requiredBy, null);
    }
}

package io.accountsecurity.login;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.accountsecurity.account.CommunityRef;
import io.accountsecurity.session.Sessions;
import io.accountsecurity.token.TokenIssuer;

/**
 * The answer of a login step or a refresh. {@code status} tells which fields are present: AUTHENTICATED
 * (access_token, amr, refresh_token, refresh_expires_in, session_id; backup_codes_remaining after the second step),
 * MFA_REQUIRED (mfa_token, methods), MFA_ENROLLMENT_REQUIRED (enrollment_token, required_by).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoginResult(String status, String accessToken, String mfaToken, String enrollmentToken,
        String tokenType, long expiresIn, List<String> amr, List<String> methods, List<CommunityRef> requiredBy,
        Integer backupCodesRemaining, String refreshToken, Long refreshExpiresIn, java.util.UUID sessionId) {

    public static LoginResult authenticated(TokenIssuer.IssuedToken access, Sessions.Started session,
            Integer remaining) {
        return new LoginResult("AUTHENTICATED", access.token(), null, null, "Bearer", access.expiresIn(),
                session.amr(), null, null, remaining, session.refreshToken(), session.refreshExpiresIn(), session.id());
    }

    public static LoginResult mfaRequired(String token, long expiresIn) {
        return new LoginResult("MFA_REQUIRED", null, token, null, "Bearer", expiresIn, null,
                List.of("totp", "backup_code"), null, null, null, null, null);
    }

    public static LoginResult enrollmentRequired(String token, long expiresIn, List<CommunityRef> requiredBy) {
        return new LoginResult("MFA_ENROLLMENT_REQUIRED", null, null, token, "Bearer", expiresIn, null, null,
                requiredBy, null, null, null, null);
    }
}

package io.accountsecurity.admin;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import io.accountsecurity.problem.Problem;
import io.accountsecurity.problem.ProblemException;

/**
 * A keyset page's position, opaque to clients: the sort key and id of the last item shown, base64url-encoded. Pages
 * stay consistent while rows are added or removed, which offsets would not.
 */
record Cursor(String key, UUID id) {

    private static final int MAX_LENGTH = 400;

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((id + "|" + key).getBytes(StandardCharsets.UTF_8));
    }

    /** The position a client sent back, or null for the first page; 400 invalid-request for anything else. */
    static Cursor decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            if (cursor.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("too long");
            }
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = text.indexOf('|');
            return new Cursor(text.substring(bar + 1), UUID.fromString(text.substring(0, bar)));
        } catch (RuntimeException e) {
            throw foreign();
        }
    }

    /** The 400 for a cursor this service did not give. */
    static ProblemException foreign() {
        return new ProblemException(Problem.invalid("cursor is not one this service gave.",
                List.of(new Problem.FieldError("cursor", "must be a next_cursor of an earlier page"))), null);
    }
}

package io.accountsecurity.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

/** Reads of the real database for assertions. */
public final class Database {

    private Database() {
    }

    /** The first column of the one row a query answers (the query must answer a row). */
    public static Object value(DataSource database, String sql, Object... parameters) throws Exception {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next(), "no row for " + sql);
                return r.getObject(1);
            }
        }
    }

    /** A number that a query answers, e.g. a count, as a long. */
    public static long number(DataSource database, String sql, Object... parameters) throws Exception {
        return ((Number) value(database, sql, parameters)).longValue();
    }

    /**
     * A fingerprint of every table a request could change: row counts and an md5 of each table's rows. The lockout
     * counters and lockout events are left out: counting failed attempts is their purpose.
     */
    public static Map<String, String> fingerprint(DataSource database) throws Exception {
        Map<String, String> tables = new LinkedHashMap<>();
        String[][] queries = {
                { "users", "select count(*), md5(coalesce(string_agg(u::text, ',' order by id), '')) from users u" },
                { "communities", "select count(*), md5(coalesce(string_agg(c::text, ',' order by id), '')) from communities c" },
                { "memberships", "select count(*), md5(coalesce(string_agg(m::text, ',' order by user_id, community_id), '')) from memberships m" },
                { "totp_credentials", "select count(*), md5(coalesce(string_agg(t::text, ',' order by user_id), '')) from totp_credentials t" },
                { "backup_codes", "select count(*), md5(coalesce(string_agg(b::text, ',' order by id), '')) from backup_codes b" },
                { "security_events", "select count(*), md5(coalesce(string_agg(e::text, ',' order by id), '')) from security_events e where type <> 'LOCKED_OUT'" } };
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            for (String[] q : queries) {
                try (ResultSet r = s.executeQuery(q[1])) {
                    r.next();
                    tables.put(q[0], r.getLong(1) + ":" + r.getString(2));
                }
            }
        }
        return tables;
    }
}

package io.accountsecurity.web;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ClientAddressesTest {

    @Test
    void rangesMatchTheirAddressesOnly() {
        var range = ClientAddresses.Range.parse("10.0.0.0/8");
        assertTrue(range.contains(ClientAddresses.Range.literal("10.42.7.1")));
        assertFalse(range.contains(ClientAddresses.Range.literal("11.0.0.1")));
        assertFalse(range.contains(ClientAddresses.Range.literal("::1")));
        var single = ClientAddresses.Range.parse("192.168.1.5");
        assertTrue(single.contains(ClientAddresses.Range.literal("192.168.1.5")));
        assertFalse(single.contains(ClientAddresses.Range.literal("192.168.1.6")));
        var v6 = ClientAddresses.Range.parse("fd00::/8");
        assertTrue(v6.contains(ClientAddresses.Range.literal("fd12:3456::1")));
    }

    @Test
    void prefixesThatEndInsideAByteCompareOnlyTheirBits() {
        var range = ClientAddresses.Range.parse("172.16.0.0/12");
        assertTrue(range.contains(ClientAddresses.Range.literal("172.16.0.1")));
        assertTrue(range.contains(ClientAddresses.Range.literal("172.31.255.254")));
        assertFalse(range.contains(ClientAddresses.Range.literal("172.32.0.1")));
        assertFalse(range.contains(ClientAddresses.Range.literal("172.15.255.255")));
        var v6 = ClientAddresses.Range.parse("2001:db8::/33");
        assertTrue(v6.contains(ClientAddresses.Range.literal("2001:db8:7fff::1")));
        assertFalse(v6.contains(ClientAddresses.Range.literal("2001:db8:8000::1")));
    }

    @Test
    void hostNamesAreNeverLookedUp() {
        assertNull(ClientAddresses.Range.literal("example.com"));
        assertNull(ClientAddresses.Range.literal(""));
        assertThrows(IllegalArgumentException.class, () -> ClientAddresses.Range.parse("proxy.local"));
    }

    @Test
    void onlyStandardLiteralsAreAddresses() {
        for (String notALiteral : new String[] { "deadbeef", "1.2.3", "0x7f.0.0.1", "127.1", "1.2.3.4.5", "::1::",
                "1.2.3.4 ", "localhost" }) {
            assertNull(ClientAddresses.Range.literal(notALiteral), notALiteral);
        }
        assertArrayEquals(new byte[] { 10, 0, 0, 1 }, ClientAddresses.Range.literal("::ffff:10.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> ClientAddresses.Range.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> ClientAddresses.Range.parse("10.0.0.0/x"));
    }

    @Test
    void addressesAreStoredInTheirCanonicalForm() {
        assertEquals("2001:db8::1", ClientAddresses.canonical("2001:DB8:0:0:0:0:0:1"));
        assertEquals("10.0.0.1", ClientAddresses.canonical("::ffff:10.0.0.1"));
        assertEquals("192.0.2.7", ClientAddresses.canonical("192.0.2.7"));
    }

    @Test
    void ipv6ClientsCountByTheirSlash64() {
        assertEquals("2001:db8:1:2::/64", ClientAddresses.group("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        assertEquals(ClientAddresses.group("2001:db8:1:2::1"), ClientAddresses.group("2001:db8:1:2:ffff::9"));
        assertNotEquals(ClientAddresses.group("2001:db8:1:2::1"), ClientAddresses.group("2001:db8:1:3::1"));
        assertEquals("192.0.2.7", ClientAddresses.group("192.0.2.7"));
    }
}

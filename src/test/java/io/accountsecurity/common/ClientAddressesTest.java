package io.accountsecurity.common;

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
}

package dev.trawl.core.fetch;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LegacySpellingsTest {

    @ParameterizedTest
    @ValueSource(strings = {"http://127.1/", "http://0x7f.1/", "http://0x7f000001/", "http://0177.0.0.1/", "http://127.0.1/x",
            "http://user@10.1:8080/", "https://0xa9.0xfe.0xa9.0xfe/latest/meta-data", "http://0/", "http://192.168.1/"})
    void oldSpellingsOfNonPublicAddressesAreRecognised(String url) {
        assertTrue(TargetPolicy.namesNonPublicAddress(url), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a url", "http://8.8.8.8/", "http://example.com/", "http://0x5d.0xb8.0xd8.0x22/",
            "http://256.1/", "http://1.2.3.4.5/", "http://0x1g/", "ftp//127.1", ""})
    void otherStringsAreNot(String url) {
        assertFalse(TargetPolicy.namesNonPublicAddress(url), url);
    }

    @ParameterizedTest
    @CsvSource({"127.1, 127.0.0.1", "0x7f.1, 127.0.0.1", "2130706433, 127.0.0.1", "0177.0.0.01, 127.0.0.1",
            "10.0x10.1, 10.16.0.1", "1.2.3.4, 1.2.3.4"})
    void inetAtonForms(String text, String dotted) throws Exception {
        assertArrayEquals(java.net.InetAddress.getByName(dotted).getAddress(), TargetPolicy.legacyIpv4(text));
    }
}

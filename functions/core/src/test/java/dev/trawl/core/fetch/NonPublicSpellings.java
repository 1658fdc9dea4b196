package dev.trawl.core.fetch;

import java.util.List;
import java.util.stream.Stream;

/**
 * Spellings of non-public IPv4 addresses that C libraries, curl and browsers accept, and the ways a URL may wrap
 * them: the table the legacy-spelling tests of the policy, the fetcher and the worker share.
 */
public final class NonPublicSpellings {
    /** Each host as a URL spells it, with the address inet_aton reads in it. */
    public record Spelling(String host, String address) {
    }

    public static final List<Spelling> SPELLINGS = List.of(
            // loopback: shortened, hex, octal, decimal, mixed, trailing dot, IPv4-mapped and -compatible IPv6
            new Spelling("127.1", "127.0.0.1"),
            new Spelling("127.0.1", "127.0.0.1"),
            new Spelling("0177.1", "127.0.0.1"),
            new Spelling("0x7f.1", "127.0.0.1"),
            new Spelling("0x7f000001", "127.0.0.1"),
            new Spelling("0X7F000001", "127.0.0.1"),
            new Spelling("2130706433", "127.0.0.1"),
            new Spelling("017700000001", "127.0.0.1"),
            new Spelling("0177.0.0.1", "127.0.0.1"),
            new Spelling("0177.0.0.01", "127.0.0.1"),
            new Spelling("127.000.000.001", "127.0.0.1"),
            new Spelling("0x7f.0.0.1", "127.0.0.1"),
            new Spelling("0x7f.0x0.0x0.0x1", "127.0.0.1"),
            new Spelling("0x7f.0.01", "127.0.0.1"),
            new Spelling("127.0.0.1.", "127.0.0.1"),
            new Spelling("127.1.", "127.0.0.1"),
            new Spelling("0x7f000001.", "127.0.0.1"),
            new Spelling("0177.0.0.1.", "127.0.0.1"),
            new Spelling("2130706433.", "127.0.0.1"),
            new Spelling("[::ffff:7f00:1]", "127.0.0.1"),
            new Spelling("[::ffff:127.0.0.1]", "127.0.0.1"),
            new Spelling("[::127.0.0.1]", "127.0.0.1"),
            // private
            new Spelling("10.1", "10.0.0.1"),
            new Spelling("012.1", "10.0.0.1"),
            new Spelling("0xa000001", "10.0.0.1"),
            new Spelling("167772161", "10.0.0.1"),
            new Spelling("172.16.1", "172.16.0.1"),
            new Spelling("192.168.1", "192.168.0.1"),
            new Spelling("0xc0.0xa8.1.1", "192.168.1.1"),
            new Spelling("0300.0250.0.1", "192.168.0.1"),
            new Spelling("100.64.1", "100.64.0.1"),
            // link-local, the metadata service among them
            new Spelling("169.254.43518", "169.254.169.254"),
            new Spelling("0xa9.0xfe.0xa9.0xfe", "169.254.169.254"),
            new Spelling("0xa9fea9fe", "169.254.169.254"),
            new Spelling("2852039166", "169.254.169.254"),
            new Spelling("0251.0376.0251.0376", "169.254.169.254"),
            new Spelling("[::ffff:a9fe:a9fe]", "169.254.169.254"),
            // unspecified
            new Spelling("0", "0.0.0.0"),
            new Spelling("00", "0.0.0.0"),
            new Spelling("0x0", "0.0.0.0"),
            new Spelling("0.0", "0.0.0.0"),
            new Spelling("000.0.0.0", "0.0.0.0"),
            new Spelling("0.0.0.0.", "0.0.0.0"));

    private NonPublicSpellings() {
    }

    /**
     * Every spelling in every wrapping: with and without a port, with and without user info, over http and https.
     *
     * @param path what follows the authority, starting with {@code /}
     */
    public static List<String> urls(int port, String path) {
        return SPELLINGS.stream().map(Spelling::host).flatMap(host -> Stream.of(
                "http://" + host + path,
                "http://" + host + ":" + port + path,
                "https://" + host + ":" + port + path,
                "http://user:pass@" + host + path,
                "http://user:pass@" + host + ":" + port + path + "?q=1",
                "https://user@" + host + ":" + port + path + "#top")).toList();
    }
}

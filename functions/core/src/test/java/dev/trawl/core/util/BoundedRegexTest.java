package dev.trawl.core.util;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.List;
import java.util.regex.PatternSyntaxException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundedRegexTest {

    @Test
    void findsThePatternAnywhereInTheText() {
        BoundedRegex anchored = new BoundedRegex("^https://example\\.com/", 50);
        assertTrue(anchored.find("https://example.com/a"));
        assertFalse(anchored.find("http://example.com/a"));
        assertFalse(anchored.find("https://example.community/a"));

        BoundedRegex loose = new BoundedRegex("example\\.(com|org)", 50);
        assertTrue(loose.find("https://www.example.org/path"), "find, not a whole-string match");
        assertFalse(loose.find("https://www.example.net/path"));
        assertTrue(new BoundedRegex("/p/\\d+$", 50).find("https://shop.example/p/12345"));
        assertFalse(new BoundedRegex("/p/\\d+$", 50).find("https://shop.example/p/12345/reviews"));
    }

    @Test
    void aLongTextWithinTheBudgetStillMatches() {
        String url = "https://example.com/" + "a".repeat(7_000) + "/needle";
        assertTrue(new BoundedRegex("needle$", 1_000).find(url));
        assertTrue(new BoundedRegex("/[a-z]+/needle", 1_000).find(url));
        assertFalse(new BoundedRegex("/[a-z]+/haystack", 1_000).find(url));
    }

    /** Java's matcher recurses once per repetition of a group: a long input runs it out of stack. */
    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aPatternThatRecursesTooDeepCountsAsNoMatch() {
        String text = "https://example.com/" + "a".repeat(100_000) + "/needle";
        BoundedRegex deep = new BoundedRegex("(a|b)+/needle", 5_000);
        assertFalse(deep.find(text));
        // and it still answers for inputs it can handle
        assertTrue(deep.find("https://example.com/abab/needle"));
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aCatastrophicPatternGivesUpAsNoMatch() {
        BoundedRegex evil = new BoundedRegex("(a+)+$", 50);
        assertFalse(evil.find("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"));
        // and the same instance still works for the next input
        assertTrue(evil.find("aaaa"));
        assertFalse(evil.find("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"));
    }

    /**
     * Java's matcher remembers failed loop positions, so {@code (a+)+$} no longer explodes; counted repetitions and
     * back-references still backtrack for ages, and must end at the budget.
     */
    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void patternsThatStillBacktrackForAgesGiveUpAtTheBudget() {
        BoundedRegex counted = new BoundedRegex("(.*a){12}$", 50);
        assertFalse(counted.find("a".repeat(40) + "!"));
        assertTrue(counted.find("a".repeat(40)), "the same pattern matches quickly where it can");

        BoundedRegex backReference = new BoundedRegex("^(a+)+\\1$", 50);
        assertFalse(backReference.find("a".repeat(30) + "!"));
        assertTrue(backReference.find("aaaa"));

        assertFalse(new BoundedRegex("(a|aa)+\\1$", 50).find("a".repeat(40) + "!"));
    }

    @Test
    void anInvalidPatternFailsAtOnce() {
        assertThrows(PatternSyntaxException.class, () -> new BoundedRegex("([a-z", 50));
    }

    @Test
    void groupGivesWhatTheFirstMatchCaptured() {
        BoundedRegex sku = new BoundedRegex("SKU: ([A-Z]+)-(\\d+)", 50);
        assertEquals(2, sku.groupCount());
        assertEquals("SKU: AB-12", sku.group("x SKU: AB-12 y SKU: CD-34", 0));
        assertEquals("AB", sku.group("x SKU: AB-12 y SKU: CD-34", 1));
        assertEquals("12", sku.group("x SKU: AB-12 y SKU: CD-34", 2));
        assertNull(sku.group("no sku here", 1));
        assertNull(new BoundedRegex("(x)?y", 50).group("y", 1), "a group that took no part");
        assertEquals(0, new BoundedRegex("abc", 50).groupCount());
    }

    @Test
    void groupsGivesEveryMatchUpToTheLimit() {
        BoundedRegex digits = new BoundedRegex("(\\d)(x)?", 50);
        assertEquals(List.of("1", "2", "3"), digits.groups("a1b2c3", 1, 10));
        assertEquals(List.of("1", "2"), digits.groups("a1b2c3", 1, 2));
        assertEquals(Arrays.asList(null, "x", null), digits.groups("1 2x 3", 2, 10));
        assertEquals(List.of(), digits.groups("none", 1, 10));
        assertEquals(List.of("", "", ""), new BoundedRegex("", 50).groups("ab", 0, 10), "empty matches advance");
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void groupAndGroupsGiveUpAtTheBudget() {
        BoundedRegex counted = new BoundedRegex("((.*a){12})$", 50);
        String text = "a".repeat(40) + "!";
        assertNull(counted.group(text, 1));
        assertNull(counted.groups(text, 1, 10), "not the matches so far");
        assertEquals("a".repeat(40), counted.group("a".repeat(40), 1));

        String deep = "a".repeat(100_000) + "/needle";
        assertNull(new BoundedRegex("((a|b)+)/needle", 5_000).group(deep, 1), "out of stack is no match");
    }
}

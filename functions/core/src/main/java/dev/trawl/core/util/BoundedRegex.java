package dev.trawl.core.util;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client's regular expression, matched with a time budget per input: a pattern that backtracks
 * catastrophically on some URL gives up on that URL instead of holding the planner.
 */
public final class BoundedRegex {
    private final Pattern pattern;
    private final long budgetNanos;

    public BoundedRegex(String regex, long budgetMillis) {
        this.pattern = Pattern.compile(regex);
        this.budgetNanos = budgetMillis * 1_000_000;
    }

    /**
     * Whether the pattern is found in {@code text}; false when the budget runs out first, or when the matcher, which
     * recurses once per repetition of a group such as {@code (a|b)+}, runs out of stack on a long text.
     */
    public boolean find(String text) {
        try {
            return pattern.matcher(new Deadline(text, System.nanoTime() + budgetNanos)).find();
        } catch (OutOfTime | StackOverflowError e) {
            return false;
        }
    }

    /** How many capturing groups the pattern has. */
    public int groupCount() {
        return pattern.matcher("").groupCount();
    }

    /**
     * The text {@code group} captured in the first match in {@code text}; null when nothing matches, when the group
     * takes no part in the match, or when the budget or the stack runs out first.
     */
    public String group(CharSequence text, int group) {
        try {
            Matcher matcher = pattern.matcher(new Deadline(text, System.nanoTime() + budgetNanos));
            return matcher.find() ? matcher.group(group) : null;
        } catch (OutOfTime | StackOverflowError e) {
            return null;
        }
    }

    /**
     * What {@code group} captured in each match in turn, at most {@code max} of them, with null for a match in which
     * the group took no part. The one budget covers the whole scan; when it runs out the answer is null, not the
     * matches so far, which would pass for all of them.
     */
    public List<String> groups(CharSequence text, int group, int max) {
        try {
            Matcher matcher = pattern.matcher(new Deadline(text, System.nanoTime() + budgetNanos));
            List<String> found = new ArrayList<>();
            while (found.size() < max && matcher.find()) {
                found.add(matcher.group(group));
            }
            return found;
        } catch (OutOfTime | StackOverflowError e) {
            return null;
        }
    }

    private static final class OutOfTime extends RuntimeException {
        OutOfTime() {
            super(null, null, false, false);
        }
    }

    /** Text that checks the clock every thousand or so reads of the matcher. */
    private static final class Deadline implements CharSequence {
        private final CharSequence text;
        private final long deadlineNanos;
        private int reads;

        Deadline(CharSequence text, long deadlineNanos) {
            this.text = text;
            this.deadlineNanos = deadlineNanos;
        }

        @Override
        public char charAt(int index) {
            if ((++reads & 0x3FF) == 0 && System.nanoTime() > deadlineNanos) {
                throw new OutOfTime();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Deadline(text.subSequence(start, end), deadlineNanos);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}

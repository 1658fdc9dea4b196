package dev.trawl.core.extract;

import java.util.Optional;

/** What an extracted field is coerced to, and so the type of its result column. */
public enum ValueType {
    STRING("string"),
    NUMBER("number"),
    INTEGER("integer"),
    BOOLEAN("boolean");

    private final String wire;

    ValueType(String wire) {
        this.wire = wire;
    }

    /** The word a client writes in {@code extract}. */
    public String wire() {
        return wire;
    }

    /** The type a client's word names; empty for anything else, the words being case-sensitive like the contract. */
    public static Optional<ValueType> fromWire(String word) {
        for (ValueType type : values()) {
            if (type.wire.equals(word)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}

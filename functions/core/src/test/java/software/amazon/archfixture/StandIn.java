package software.amazon.archfixture;

/** Fixture: stands for an AWS SDK type, which core's own classpath does not have (ArchitectureTest). */
public final class StandIn {
}

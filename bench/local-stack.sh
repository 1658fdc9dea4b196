# Sourced by the benchmarks that run the local stack in one JVM (bench/latency.sh, bench/million.sh): builds
# infra/local's tests inside the reactor, nothing installed into the local Maven repository (the classpath of
# infra/local's tests then names the other modules' target folders; each module of the run writes the file, and
# infra/local, the last, stays), and defines local_stack_java, which runs a class of it with the stack's flags.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$root/tools/find-jdk25")"
export JAVA_HOME
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
mvn -q -B -f "$root/pom.xml" -pl infra/local -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$root/infra/local/target/test-classpath.txt" >&2
cp="$root/infra/local/target/test-classes:$root/infra/local/target/classes:$(cat "$root/infra/local/target/test-classpath.txt")"

# local_stack_java [JVM options…] CLASS [ARGS…]
local_stack_java() {
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -Dsqlite4java.library.path="$root/infra/local/target/native-libs" -Djdk.httpclient.allowRestrictedHeaders=host \
    -Dtrawl.template="$root/template.yaml" -cp "$cp" "$@"
}

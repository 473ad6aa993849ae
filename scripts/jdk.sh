# Sourced by ./promptway and ./test: exports JAVA_HOME pointing at a JDK 21+
# and puts it first on PATH. Order: JAVA_HOME, `java` on PATH, then the newest
# JDK 21+ under /usr/lib/jvm (Debian/Ubuntu layout).

promptway_java_major() {
  # Prints the feature version of the java binary $1, or nothing. Reads the JDK's `release`
  # file when there is one (instant); starts the JVM only as a fallback.
  local home version
  home=$(dirname "$(dirname "$(readlink -f "$1")")")
  if [ -f "$home/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$home/release" | head -n 1)
    if [ -n "$version" ]; then echo "$version"; return 0; fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

promptway_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(promptway_java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge 21 ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(promptway_java_major "$candidate/bin/java")
    if [ "${major:-0}" -ge 21 ]; then echo "$candidate"; return 0; fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    [ -L "$candidate" ] && continue
    major=$(promptway_java_major "$candidate/bin/java")
    if [ "${major:-0}" -gt "$best_major" ]; then best="$candidate"; best_major=$major; fi
  done
  if [ "$best_major" -ge 21 ]; then echo "$best"; return 0; fi
  return 1
}

if ! PROMPTWAY_JDK=$(promptway_find_jdk); then
  echo "[promptway] no JDK 21 or newer found: set JAVA_HOME, put one on PATH, or install one under /usr/lib/jvm" >&2
  exit 2
fi
export JAVA_HOME="$PROMPTWAY_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
if [ "$(promptway_java_major "$JAVA_HOME/bin/java")" -ge 23 ]; then
  case " ${MAVEN_OPTS:-} " in
    *sun-misc-unsafe-memory-access*) ;;
    *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
  esac
fi

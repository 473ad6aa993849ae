# Sourced by ./promptway and ./test: exports JAVA_HOME pointing at a JDK 21+
# and puts it first on PATH. Order: JAVA_HOME, `java` on PATH, then the newest
# JDK 21+ under /usr/lib/jvm (Debian/Ubuntu layout). Sets PROMPTWAY_JAVA_MAJOR.
# Written with shell built-ins where it can: every process started costs start-up time.

promptway_jdk_major() {
  # Sets PROMPTWAY_MAJOR to the feature version of the JDK at $1 (0 if unknown). Reads the JDK's
  # `release` file when there is one; starts its JVM only as a fallback.
  local line
  PROMPTWAY_MAJOR=0
  if [ -f "$1/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      if [[ $line =~ ^JAVA_VERSION=\"([0-9]+) ]]; then
        PROMPTWAY_MAJOR=${BASH_REMATCH[1]}
        return 0
      fi
    done <"$1/release"
  fi
  [ -x "$1/bin/java" ] || return 0
  line=$("$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1)
  PROMPTWAY_MAJOR=${line:-0}
}

promptway_find_jdk() {
  # Sets PROMPTWAY_JDK and PROMPTWAY_JAVA_MAJOR; returns 1 when no JDK 21+ is found.
  local candidate javac best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    promptway_jdk_major "$JAVA_HOME"
    if [ "$PROMPTWAY_MAJOR" -ge 21 ]; then
      PROMPTWAY_JDK=$JAVA_HOME PROMPTWAY_JAVA_MAJOR=$PROMPTWAY_MAJOR
      return 0
    fi
  fi
  if javac=$(type -P javac); then
    javac=$(readlink -f "$javac")
    candidate=${javac%/bin/javac}
    promptway_jdk_major "$candidate"
    if [ "$PROMPTWAY_MAJOR" -ge 21 ]; then
      PROMPTWAY_JDK=$candidate PROMPTWAY_JAVA_MAJOR=$PROMPTWAY_MAJOR
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    [ -L "$candidate" ] && continue
    promptway_jdk_major "$candidate"
    if [ "$PROMPTWAY_MAJOR" -gt "$best_major" ]; then
      best=$candidate best_major=$PROMPTWAY_MAJOR
    fi
  done
  [ "$best_major" -ge 21 ] || return 1
  PROMPTWAY_JDK=$best PROMPTWAY_JAVA_MAJOR=$best_major
}

if ! promptway_find_jdk; then
  echo "[promptway] no JDK 21 or newer found: set JAVA_HOME, put one on PATH, or install one under /usr/lib/jvm" >&2
  exit 2
fi
export JAVA_HOME="$PROMPTWAY_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
if [ "$PROMPTWAY_JAVA_MAJOR" -ge 23 ]; then
  case " ${MAVEN_OPTS:-} " in
    *sun-misc-unsafe-memory-access*) ;;
    *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
  esac
fi

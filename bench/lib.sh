# Shared by bench/run.sh and bench/run-writer.sh (sourced, not run).

# Prints the java of the first JDK >= 25 in JAVA_HOME, then /usr/lib/jvm/*; fails if none.
find_jdk() {
    local d m
    for d in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
        [ -n "$d" ] && [ -x "$d/bin/java" ] && [ -f "$d/release" ] || continue
        m="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$d/release")"
        if [ -n "$m" ] && [ "$m" -ge 25 ]; then echo "$d/bin/java"; return 0; fi
    done
    return 1
}

# JMH refuses to start while another JMH run on this machine holds /tmp/jmh.lock (an fcntl lock):
# wait for it rather than fail, since other people's benchmarks share these cores. $1 names the
# caller in the message.
wait_for_jmh() {
    python3 - "$1" <<'PY'
import fcntl, sys
with open("/tmp/jmh.lock", "a") as f:
    try:
        fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        print(f"{sys.argv[1]}: another JMH run holds /tmp/jmh.lock; waiting for it to finish ...", file=sys.stderr)
        fcntl.lockf(f, fcntl.LOCK_EX)
PY
}

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

# Prints the path of fio, installing it first when it is missing and this runs as root (apt-get
# update once, then apt-get install -y fio); fails with a message naming what to do otherwise.
ensure_fio() {
    if command -v fio >/dev/null 2>&1; then command -v fio; return 0; fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "bench: fio is missing; installing it (apt-get update, apt-get install -y fio) ..." >&2
        if { [ -n "${BENCH_APT_UPDATED:-}" ] || apt-get update -qq; } >&2 && apt-get install -y -qq fio >&2; then
            BENCH_APT_UPDATED=1
            command -v fio && return 0
        fi
        echo "bench: installing fio failed" >&2
        return 1
    fi
    echo "bench: fio is not installed and this is not root: install it (sudo apt-get install fio) for the storage floors" >&2
    return 1
}

# Prints a Python with pyarrow and pandas: bench/.venv's, made and filled from the machine's package
# index when missing (python3 -m venv; pip install pyarrow pandas); fails with a message if that fails.
pyarrow_python() {
    local venv="$1/bench/.venv"
    if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import pyarrow, pandas" 2>/dev/null; then
        echo "$venv/bin/python"; return 0
    fi
    echo "bench: making $venv with pyarrow and pandas (pip) ..." >&2
    if python3 -m venv "$venv" >/dev/null 2>&1 && "$venv/bin/pip" install -q pyarrow pandas >/dev/null 2>&1 \
        && "$venv/bin/python" -c "import pyarrow, pandas" 2>/dev/null; then
        echo "$venv/bin/python"; return 0
    fi
    echo "bench: pyarrow could not be installed into $venv" >&2
    return 1
}

#!/usr/bin/env bash
# Makes the JDK's AOT cache (JDK 25: JEP 483, 514, 515) of the packaged service: one training run of
# quarkus-run.jar on the JVM and with the options that will run it, against an empty PostgreSQL database of its
# own, under a short workload of the requests the service serves most (logins, /me, refresh, JWKS, health). The
# JVM writes the cache when the service stops. The build runs on JDK 17, so the cache is made here, not by the
# Quarkus build; the image (Dockerfile.jvm), bench/run.sh and ProdJarIT all make it with this script.
#
# Usage: aot-cache.sh APP_DIR CACHE
#   APP_DIR  the directory of quarkus-run.jar (the cache records the class path as the service is started there)
#   CACHE    the cache file, relative to APP_DIR (e.g. app.aot)
# Environment: JAVA (default: java), JAVA_OPTS (the options of the runs that will use the cache, which must match
# it: collector, heap, object headers), QUARKUS_DATASOURCE_REACTIVE_URL, QUARKUS_DATASOURCE_USERNAME,
# QUARKUS_DATASOURCE_PASSWORD (a database that nothing else uses; it keeps the schema and one administrator),
# ROUNDS (default 40), AOT_RECORD_TRAINING (1: keep the training run's method profiles in the cache; the service runs
# without replaying them, -XX:-AOTReplayTraining, so by default they are not recorded). Needs openssl and curl.
set -euo pipefail

app=$1
cache=$2
java=${JAVA:-java}
rounds=${ROUNDS:-40}
record=()
[[ ${AOT_RECORD_TRAINING:-0} == 1 ]] || record=(-XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining)
work=$(mktemp -d)
pid=""
finish() {
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap finish EXIT

openssl genpkey -algorithm ed25519 -out "$work/key.pem" 2>/dev/null
password="trainer-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"
cd "$app"
rm -f "$cache"
# Made before the JVM starts, so that the wait below can read it at once.
: > "$work/log"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
env JWT_SIGNING_KEY_LOCATION="$work/key.pem" SECRETS_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64)" \
    BOOTSTRAP_ADMIN_USERNAME=aot-trainer BOOTSTRAP_ADMIN_PASSWORD="$password" QUARKUS_HTTP_PORT=0 \
    "$java" ${JAVA_OPTS:-} "${record[@]}" -XX:AOTCacheOutput="$cache" -jar quarkus-run.jar > "$work/log" 2>&1 &
pid=$!

# Port 0: the service picks a free port and names it in its start-up line.
port=""
for _ in $(seq 1 600); do
    port=$(sed -n 's/.*Listening on: http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$work/log" | head -1 || true)
    [[ -n $port ]] && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; echo "aot-cache.sh: the training run stopped" >&2; exit 1; }
    sleep 0.2
done
[[ -n $port ]] || { cat "$work/log" >&2; echo "aot-cache.sh: the training run did not start" >&2; exit 1; }
base="http://127.0.0.1:$port"

# A failed request is not fatal by itself (a login that fails is, below): the cache only records what ran.
post() { curl -s -H 'Content-Type: application/json' -d "$2" "$base$1" || true; }
get() { curl -s -o /dev/null "$@" || true; }
field() { sed -n "s/.*\"$1\" *: *\"\\([^\"]*\\)\".*/\\1/p"; }
answers=0
for i in $(seq 1 "$rounds"); do
    login=$(post /api/v1/auth/login "{\"username\":\"aot-trainer\",\"password\":\"$password\"}")
    token=$(field access_token <<< "$login" || true)
    refresh=$(field refresh_token <<< "$login" || true)
    if [[ -z $token || -z $refresh ]]; then
        tail -50 "$work/log" >&2
        echo "aot-cache.sh: login failed: $login" >&2
        exit 1
    fi
    get -H "Authorization: Bearer $token" "$base/api/v1/me"
    get -H "Authorization: Bearer $token" "$base/api/v1/me/sessions"
    post /api/v1/auth/refresh "{\"refresh_token\":\"$refresh\"}" > /dev/null
    get "$base/.well-known/jwks.json"
    get "$base/q/health/ready"
    # A few wrong passwords and unknown names (the 401 path), far below any throttle.
    if (( i <= 3 )); then
        post /api/v1/auth/login '{"username":"aot-trainer","password":"not the password"}' > /dev/null
        post /api/v1/auth/login '{"username":"nobody-here","password":"not the password"}' > /dev/null
        post /api/v1/auth/login '{"username":""}' > /dev/null
    fi
    answers=$((answers + 1))
done

kill -TERM "$pid"
wait "$pid" || true
pid=""
if [[ ! -s $cache ]]; then
    cat "$work/log" >&2
    echo "aot-cache.sh: no cache written" >&2
    exit 1
fi
echo "aot-cache.sh: $app/$cache from $answers rounds on $("$java" -version 2>&1 | head -1)"

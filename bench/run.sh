#!/usr/bin/env bash
# Benchmark: login throughput, latency, memory and start-up, measured against the password-hash bound.
# See bench/README.md. Environment:
#   DURATION=20     measured seconds per (scenario, connections) run; DURATION=5 for a quick run
#   WARMUP=5        warm-up seconds before each run (default 5, or 1 when DURATION < 20)
#   JIT_WARMUP=20   seconds of mixed load once per service instance before the first run (8 when DURATION < 20)
#   HASH=both       both | minimal | production: the Argon2 cost(s) to run the login scenarios at
#   CONNS=1,8,32    connection counts
#   SCENARIOS=...   only these scenarios, comma-separated, of password,verify,login,me,refresh,jwks (e.g. to profile one)
#   RUNTIME=/usr/lib/jvm/temurin-25-jdk-amd64  the JDK that runs the service (and times the hash), as in the image;
#                   when it is missing, the default java (JDK 17) without an AOT cache
#   JVM_OPTS=...    the service's JVM options (default -XX:+UseSerialGC -Xss512k -Xmx80m -Xmn16m -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError,
#                   plus -XX:AOTCache=app.aot -XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining on JDK 25: the cache is made before the measured runs by
#                   src/main/docker/aot-cache.sh with these options, as the image makes it)
#   JWT_KEY=ed25519 ed25519 (EdDSA: the key the service's README and Secret template recommend), rsa (RSA 2048, RS256)
#                   or ec (P-256, ES256)
#   LOAD=60         the resilience test instead of the benchmark: full logins at the measured capacity for LOAD
#                   seconds with ENROLLERS=2 clients enrolling fresh accounts beside, then database checks (every
#                   enrollment that answered 200 is enabled; every account's last accepted TOTP step is stored).
#                   Production cost unless HASH=minimal.
#   FLOOD=5,20      the flood test instead of the benchmark: logins of unknown users at these multiples of the hash
#                   bound for FLOOD_SECONDS (20) from FLOOD_SOURCES (100) loopback addresses with FLOOD_SENDERS (300)
#                   connections, while a real user logs in twice a second and the liveness probe is polled
#                   (bench/Flood.java prints the targets met or missed). Production cost unless HASH=minimal.
#                   FLOOD_BOUND=80 sets the bound the multiples apply to (logins/s; default: the one measured
#                   before the flood), so that runs on a machine whose speed moves are offered the same rates.
#   MALLOC_ARENA_MAX=2  glibc's malloc arenas for the service, as k8s/base/deployment.yaml and the image set it
#   PORT=18080      the service's HTTP port (not 8080, so that a dev instance on 8080 is left alone)
#   ACCOUNTS_MIN, ACCOUNTS_PROD  2FA accounts seeded at minimal / production cost
#   WRK=1           also measure the JWKS endpoint with wrk at the highest connection count (a cross-check of
#                   the Java load generator); default 1, or 0 when DURATION < 20
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUN_START=$(date +%s)

DURATION=${DURATION:-20}
if [[ -z "${WARMUP:-}" ]]; then
    if (( DURATION >= 20 )); then WARMUP=5; else WARMUP=1; fi
fi
if [[ -z "${JIT_WARMUP:-}" ]]; then
    if (( DURATION >= 20 )); then JIT_WARMUP=20; else JIT_WARMUP=8; fi
fi
HASH=${HASH:-both}
CONNS=${CONNS:-1,8,32}
RUNTIME=${RUNTIME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [[ -x $RUNTIME/bin/java ]]; then
    JAVA_SVC=$RUNTIME/bin/java
else
    JAVA_SVC=$(command -v java)
fi
# The AOT cache (-XX:AOTCache) needs JDK 24 or later.
AOT=0
"$JAVA_SVC" -XX:AOTCache=/nonexistent -version > /dev/null 2>&1 && AOT=1
if [[ -z ${JVM_OPTS:-} ]]; then
    JVM_OPTS="-XX:+UseSerialGC -Xss512k -Xmx80m -Xmn16m -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError"
    (( AOT )) && JVM_OPTS="$JVM_OPTS -XX:AOTCache=app.aot -XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining"
fi
PORT=${PORT:-18080}
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
JWT_KEY=${JWT_KEY:-ed25519}
if [[ -z "${WRK:-}" ]]; then
    if (( DURATION >= 20 )); then WRK=1; else WRK=0; fi
fi
ACCOUNTS_PROD=${ACCOUNTS_PROD:-3000}
if [[ -z "${ACCOUNTS_MIN:-}" ]]; then
    # Each account logs in about three times in a burst, then once per 30 s step: a login rate of L needs about
    # L x (DURATION + WARMUP) / 3 accounts per run, and the verify and login runs follow each other within steps.
    ACCOUNTS_MIN=$(( 8000 * (DURATION + WARMUP) ))
    (( ACCOUNTS_MIN < 40000 )) && ACCOUNTS_MIN=40000
fi
ACCOUNTS_PLAIN=${ACCOUNTS_PLAIN:-200}
PG_HOST=127.0.0.1
PG_PORT=5432
PG_USER=postgres
VACUUM_EVERY=${VACUUM_EVERY:-10}

LOAD=${LOAD:-}
ENROLLERS=${ENROLLERS:-2}
FLOOD=${FLOOD:-}
FLOOD_SECONDS=${FLOOD_SECONDS:-20}
FLOOD_SOURCES=${FLOOD_SOURCES:-100}
FLOOD_SENDERS=${FLOOD_SENDERS:-300}
case "$HASH" in
    both) PHASES="production minimal" ;;
    minimal) PHASES="minimal" ;;
    production) PHASES="production" ;;
    *) echo "HASH must be both, minimal or production" >&2; exit 2 ;;
esac
if [[ -n $LOAD || -n $FLOOD ]]; then
    if [[ $HASH == minimal ]]; then PHASES=minimal; else PHASES=production; fi
fi

TS=$(date +%Y%m%d_%H%M%S)
OUT="$ROOT/bench/out/$TS"
mkdir -p "$OUT"
SECRETS_DIR=$(mktemp -d)
chmod 700 "$SECRETS_DIR"
RESULTS="$OUT/results.tsv"
FAILURES="$OUT/failures.txt"
SUMMARY="$OUT/summary.txt"
: > "$RESULTS"
: > "$SUMMARY"
SVC_PID=""
DATABASES=()
FAILED=0

log() { echo "[$(date +%H:%M:%S)] $*"; }
note() { echo "$*" | tee -a "$SUMMARY"; }
fail() { echo "FAILED: $*" | tee -a "$SUMMARY"; FAILED=1; }

# This machine's PostgreSQL may run with autovacuum off, which no production server does: then nothing re-analyzes the
# tables the load writes, the planner keeps the estimates of the seeding (attempt_counters and sessions nearly
# empty), and the cached generic plans of the login's statements scan those tables whole as they grow. While a
# phase's load runs, every VACUUM_EVERY seconds, run.sh does what autovacuum would do with its default thresholds:
# VACUUM (ANALYZE) of a table with more than 50 + 20 % dead rows, ANALYZE of one with more than 50 + 10 % changed.
VACUUM_PID=""
start_vacuum() { # db
    [[ $AUTOVACUUM == on || $VACUUM_EVERY == 0 ]] && return
    ( while sleep "$VACUUM_EVERY"; do
        psql -q -X -h $PG_HOST -p $PG_PORT -U $PG_USER -d "$1" > /dev/null 2>&1 <<'SQL' || true
select case when n_dead_tup > 50 + 0.2 * n_live_tup then format('vacuum (analyze) %I', relname)
            else format('analyze %I', relname) end
  from pg_stat_user_tables
 where n_dead_tup > 50 + 0.2 * n_live_tup or n_mod_since_analyze > 50 + 0.1 * n_live_tup
\gexec
SQL
      done ) &
    VACUUM_PID=$!
}
stop_vacuum() {
    if [[ -n "$VACUUM_PID" ]]; then kill "$VACUUM_PID" 2>/dev/null || true; wait "$VACUUM_PID" 2>/dev/null || true; fi
    VACUUM_PID=""
}

stop_service() {
    stop_vacuum
    if [[ -n "$SVC_PID" ]] && kill -0 "$SVC_PID" 2>/dev/null; then
        kill -TERM "$SVC_PID" 2>/dev/null || true
        for _ in $(seq 1 300); do kill -0 "$SVC_PID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$SVC_PID" 2>/dev/null && kill -KILL "$SVC_PID" 2>/dev/null || true
        wait "$SVC_PID" 2>/dev/null || true
    fi
    SVC_PID=""
}

cleanup() {
    stop_service
    for db in "${DATABASES[@]}"; do
        dropdb -h $PG_HOST -p $PG_PORT -U $PG_USER --if-exists "$db" 2>/dev/null || true
    done
    rm -rf "$SECRETS_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- Prerequisites -------------------------------------------------------------------------------------------------
JAR=target/quarkus-app/quarkus-run.jar
if [[ ! -f $JAR ]] || [[ -n "$(find src pom.xml -newer $JAR -print -quit)" ]]; then
    log "building the service (./mvnw -B -q package -DskipTests)"
    ./mvnw -B -q package -DskipTests
fi
if ! command -v wrk >/dev/null; then
    log "installing wrk"
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi
for tool in curl psql createdb dropdb openssl java; do
    command -v $tool >/dev/null || { echo "FAILED: $tool is missing" >&2; exit 2; }
done
if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
    echo "FAILED: something already listens on port $PORT (set PORT=...)" >&2
    exit 2
fi

LIB=target/quarkus-app/lib/main
# HashTime times the service's own Argon2id class (the application jar) with its Bouncy Castle jar.
HASH_CP="$(ls target/quarkus-app/app/*.jar | head -1):$(ls $LIB/org.bouncycastle.bcprov-jdk18on-*.jar)"
# The JIT directives of the service's options (CompileCommand), so that the hash is timed as the service runs it.
HASH_JIT=$(printf '%s\n' $JVM_OPTS | grep -- '-XX:CompileCommand=' | tr '\n' ' ' || true)
CLASSES="$OUT/classes"
javac -nowarn -d "$CLASSES" -cp "$HASH_CP" bench/HashTime.java bench/Seed.java bench/LoadGen.java bench/Flood.java
CORES=$(nproc)
CLK_TCK=$(getconf CLK_TCK)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)

case "$JWT_KEY" in
    ed25519) openssl genpkey -algorithm ed25519 -out "$SECRETS_DIR/jwt-signing-key.pem" 2>/dev/null
        KEY_DESC="Ed25519 (EdDSA)" ;;
    ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$SECRETS_DIR/jwt-signing-key.pem" 2>/dev/null
        KEY_DESC="EC P-256 (ES256)" ;;
    rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$SECRETS_DIR/jwt-signing-key.pem" 2>/dev/null
        KEY_DESC="RSA 2048 (RS256)" ;;
    *) echo "JWT_KEY must be ed25519, rsa or ec" >&2; exit 2 ;;
esac
SECRETS_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64)
ADMIN_USER=bench-admin
ADMIN_PASSWORD="bench-admin-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
BENCH_PASSWORD="bench-user-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"

note "Benchmark $(date '+%Y-%m-%d %H:%M:%S %Z'), service commit $COMMIT, $CORES cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/Mem:/ {print $2}') GiB"
note "service runtime: $JAVA_SVC, $("$JAVA_SVC" -version 2>&1 | sed -n 2p)$( (( AOT )) && echo ', with the AOT cache made below' ); JVM_OPTS: $JVM_OPTS, MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX; token signing key: $KEY_DESC"
note "DURATION=$DURATION s measured after WARMUP=$WARMUP s per run (and JIT_WARMUP=$JIT_WARMUP s once per service instance); connections $CONNS; HASH=$HASH"
AUTOVACUUM=$(psql -tA -X -h $PG_HOST -p $PG_PORT -U $PG_USER -d postgres -c "show autovacuum")
PG_VERSION=$(psql -tA -X -h $PG_HOST -p $PG_PORT -U $PG_USER -d postgres -c "show server_version")
if [[ $AUTOVACUUM == on ]]; then
    note "PostgreSQL $PG_VERSION, autovacuum on"
else
    note "PostgreSQL $PG_VERSION, autovacuum off: run.sh vacuums and analyzes, as autovacuum would, every $VACUUM_EVERY s instead (VACUUM_EVERY; 0: never)"
fi

# ---- One service instance per hashing cost ------------------------------------------------------------------------
cost_env() {
    if [[ $1 == minimal ]]; then
        # Argon2's smallest parameters (8 KiB, 1 iteration), so that the cost of everything else shows.
        echo "ACCOUNT_SECURITY_PASSWORD_HASH_MEMORY_KIB=8 ACCOUNT_SECURITY_PASSWORD_HASH_ITERATIONS=1 ACCOUNT_SECURITY_PASSWORD_HASH_PARALLELISM=1"
    fi
}
# The production cost is the service's default (SecurityConfig.PasswordHash): no variable is set for it. The
# parameters of the hash bound are read from the first hash the service makes (below).

start_service() { # phase db
    local phase=$1 db=$2
    local t0 t1 code
    t0=$(date +%s%N)
    # MALLOC_ARENA_MAX as the Deployment and the image set it (glibc's per-thread arenas cost tens of MB of RSS).
    # Started from the application's directory, where the AOT cache app.aot recorded the class path.
    # shellcheck disable=SC2046
    env -C target/quarkus-app MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX QUARKUS_HTTP_PORT=$PORT \
        QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PG_HOST:$PG_PORT/$db" \
        QUARKUS_DATASOURCE_USERNAME=$PG_USER QUARKUS_DATASOURCE_PASSWORD=postgres \
        JWT_SIGNING_KEY_LOCATION="$SECRETS_DIR/jwt-signing-key.pem" \
        SECRETS_ENCRYPTION_KEY="$SECRETS_ENCRYPTION_KEY" \
        BOOTSTRAP_ADMIN_USERNAME=$ADMIN_USER BOOTSTRAP_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
        $(cost_env "$phase") \
        "$JAVA_SVC" $JVM_OPTS -jar quarkus-run.jar > "$OUT/service-$phase.log" 2>&1 &
    SVC_PID=$!
    while true; do
        code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/q/health/ready" || true)
        [[ $code == 200 ]] && break
        if ! kill -0 $SVC_PID 2>/dev/null; then
            fail "the service ($phase cost) exited during start-up; see $OUT/service-$phase.log"
            tail -20 "$OUT/service-$phase.log"
            exit 1
        fi
        if (( $(date +%s%N) - t0 > 120000000000 )); then
            fail "the service ($phase cost) was not ready after 120 s"
            exit 1
        fi
        sleep 0.02
    done
    t1=$(date +%s%N)
    READY_MS=$(( (t1 - t0) / 1000000 ))
    READY_RSS_MIB=$(( $(awk '/VmRSS/ {print $2}' /proc/$SVC_PID/status) / 1024 ))
}

json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

# ---- The AOT cache, made as the image makes it: a training run on the service's runtime and options -------------
if (( AOT )) && [[ $JVM_OPTS == *-XX:AOTCache=* ]]; then
    cache=$(printf '%s\n' $JVM_OPTS | sed -n 's/^-XX:AOTCache=//p' | tail -1)
    train_db="bench_${TS}_aot"
    createdb -h $PG_HOST -p $PG_PORT -U $PG_USER "$train_db"
    DATABASES+=("$train_db")
    log "making the AOT cache target/quarkus-app/$cache (training run on database $train_db)"
    t0=$(date +%s)
    # shellcheck disable=SC2046
    JAVA="$JAVA_SVC" JAVA_OPTS="$(printf '%s\n' $JVM_OPTS | grep -v -- '-XX:AOT' | tr '\n' ' ')" \
        QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PG_HOST:$PG_PORT/$train_db" \
        QUARKUS_DATASOURCE_USERNAME=$PG_USER QUARKUS_DATASOURCE_PASSWORD=postgres MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX \
        src/main/docker/aot-cache.sh target/quarkus-app "$cache" > "$OUT/aot-cache.log" 2>&1 \
        || { fail "the AOT cache could not be made; see $OUT/aot-cache.log"; tail -20 "$OUT/aot-cache.log"; exit 1; }
    note "AOT cache: target/quarkus-app/$cache, $(( $(stat -c %s target/quarkus-app/$cache) / 1048576 )) MiB, made in $(( $(date +%s) - t0 )) s by src/main/docker/aot-cache.sh"
fi

for phase in $PHASES; do
    PHASE_START=$(date +%s)
    db="bench_${TS}_${phase}"
    createdb -h $PG_HOST -p $PG_PORT -U $PG_USER "$db"
    DATABASES+=("$db")
    log "[$phase] starting the service on database $db"
    start_service $phase "$db"
    note "[$phase cost] launch to ready: $READY_MS ms (fresh database, Flyway migration included; polled every 20 ms), RSS at ready $READY_RSS_MIB MiB"

    # One user through the admin API: its hash is made by the service at the cost it is configured with.
    BASE="http://127.0.0.1:$PORT"
    ADMIN_TOKEN=$(curl -s -X POST "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
        -d "{\"username\":\"$ADMIN_USER\",\"password\":\"$ADMIN_PASSWORD\"}" | json_field access_token)
    if [[ -z "$ADMIN_TOKEN" ]]; then fail "[$phase] the bootstrap administrator could not log in"; exit 1; fi
    # Administration needs a login with the second factor: the bootstrap administrator enrolls, and the enrollment's
    # confirmation answers an access token with amr [pwd, otp].
    ADMIN_SECRET=$(curl -s -X POST "$BASE/api/v1/me/two-factor/enrollment" -H "Authorization: Bearer $ADMIN_TOKEN" \
        -H 'Content-Type: application/json' -d "{\"password\":\"$ADMIN_PASSWORD\"}" | json_field secret)
    ADMIN_CODE=$(java -cp "$HASH_CP:$(ls $LIB/org.jboss.aerogear.aerogear-otp-java-*.jar)" bench/TotpCode.java "$ADMIN_SECRET")
    ADMIN_TOKEN=$(curl -s -X POST "$BASE/api/v1/me/two-factor/enrollment/confirm" -H "Authorization: Bearer $ADMIN_TOKEN" \
        -H 'Content-Type: application/json' -d "{\"code\":\"$ADMIN_CODE\"}" | json_field access_token)
    if [[ -z "$ADMIN_TOKEN" ]]; then fail "[$phase] the bootstrap administrator could not enroll in 2FA"; exit 1; fi
    code=$(curl -s -o "$OUT/template-$phase.json" -w '%{http_code}' -X POST "$BASE/api/v1/admin/users" \
        -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
        -d "{\"username\":\"bench-template\",\"password\":\"$BENCH_PASSWORD\"}")
    if [[ $code != 201 ]]; then fail "[$phase] POST /api/v1/admin/users answered $code: $(cat "$OUT/template-$phase.json")"; exit 1; fi
    STORED=$(psql -tA -X -h $PG_HOST -p $PG_PORT -U $PG_USER -d "$db" -c "select password_hash from users where username = 'bench-template'")

    # The hash bound, at the parameters of that hash (PHC string: $argon2id$v=19$m=...,t=...,p=...$salt$hash), so
    # that it follows the service's defaults wherever they are set. Timed after the seeding (the service idle) and
    # once the service has stopped.
    if [[ $STORED =~ ^\$argon2id\$v=19\$m=([0-9]+),t=([0-9]+),p=([0-9]+)\$ ]]; then
        MEM=${BASH_REMATCH[1]} ITER=${BASH_REMATCH[2]} PAR=${BASH_REMATCH[3]}
    else
        fail "[$phase] the service's password hash is not an Argon2id PHC string: ${STORED:0:40}..."
        exit 1
    fi

    # Seed: the other accounts in SQL, reusing that hash.
    if [[ $phase == minimal ]]; then N2FA=$ACCOUNTS_MIN; else N2FA=$ACCOUNTS_PROD; fi
    log "[$phase] seeding $N2FA accounts with 2FA and $ACCOUNTS_PLAIN without"
    SEED_START=$(date +%s%N)
    java -cp "$CLASSES" Seed "$SECRETS_ENCRYPTION_KEY" bench-template $N2FA $ACCOUNTS_PLAIN "$OUT/accounts-$phase.tsv" \
        | psql -q -X -h $PG_HOST -p $PG_PORT -U $PG_USER -d "$db" -v ON_ERROR_STOP=1 > /dev/null
    note "[$phase cost] seeded $N2FA 2FA + $ACCOUNTS_PLAIN password-only accounts in $(( ($(date +%s%N) - SEED_START) / 1000000 )) ms"
    # The hash is timed twice, here (the service idle) and once it has stopped: on this shared VM the same hash
    # took 15 ms in one minute and 36 ms in another (memory bandwidth taken by neighbours), so the faster of the
    # two medians sets the bound: the higher, stricter one.
    log "[$phase] timing one Argon2id hash (m=$MEM KiB, t=$ITER, p=$PAR), single thread, before the load"
    read -r HASH_MS_BEFORE _ _ _ <<< "$("$JAVA_SVC" -XX:+UseSerialGC $HASH_JIT -cp "$CLASSES:$HASH_CP" HashTime $MEM $ITER $PAR 21 2>/dev/null)"

    # Scenarios: the login ones at each cost; verify, /me and JWKS once (they never hash a password).
    SCEN="password,login"
    last_phase=${PHASES##* }
    if [[ $phase == "$last_phase" ]]; then SCEN="password,verify,login,me,refresh,jwks"; fi
    # mfa tokens for the verify runs come from password steps: at production cost (a few per second) far too few
    # for a verify rate of hundreds per second. The verify step hashes nothing: it is measured at minimal cost.
    if [[ $phase == production ]]; then SCEN=${SCEN/verify,/}; fi
    if [[ -n ${SCENARIOS:-} ]]; then SCEN=$SCENARIOS; fi
    # At production cost the hash dominates and each run has its own warm-up: a shorter JIT warm-up does.
    if [[ $phase == production ]]; then jit=$(( JIT_WARMUP / 2 )); else jit=$JIT_WARMUP; fi
    LOADGEN=("$JAVA_SVC" -XX:+UseSerialGC -Xmx512m -cp "$CLASSES:$HASH_CP" LoadGen host=127.0.0.1 port=$PORT
        accounts="$OUT/accounts-$phase.tsv" password="$BENCH_PASSWORD" pid=$SVC_PID clk_tck=$CLK_TCK conns=$CONNS
        duration=$DURATION warmup=$WARMUP jit_warmup=$jit cost=$phase results="$RESULTS" failures="$FAILURES")
    if [[ -n $LOAD ]]; then
        log "[$phase] resilience: capacity probes (login at $CONNS connections), then $LOAD s at capacity with $ENROLLERS enrolling clients"
        LOADGEN+=(mode=resilience load=$LOAD enrollers=$ENROLLERS admin_token="$ADMIN_TOKEN"
            enrolled="$OUT/enrolled.tsv" steps="$OUT/steps.tsv")
    else
        log "[$phase] load: $SCEN at $CONNS connections"
        LOADGEN+=(scenarios=$SCEN)
        # At production cost the hash is also timed just before and after each password and login run (the bound
        # beside the run): this machine's speed moves within minutes.
        if [[ $phase == production ]]; then LOADGEN+=(hash=$MEM,$ITER,$PAR); fi
    fi
    start_vacuum "$db"
    set +e
    if [[ -n $FLOOD ]]; then
        # The flood: unknown users at each multiple of the hash bound (cores / one hash), from FLOOD_SOURCES loopback
        # addresses, while the template user (no 2FA) logs in twice a second and the liveness probe is polled.
        BOUND=${FLOOD_BOUND:-$(awk -v c=$CORES -v h=$HASH_MS_BEFORE 'BEGIN {printf "%.1f", c * 1000 / h}')}
        rc=0
        # A warm-up flood first, not counted: the measured ones should not pay the JIT's start.
        log "[$phase] flood warm-up: 10 s at 5x the hash bound"
        java -XX:+UseSerialGC -Xmx512m -cp "$CLASSES" Flood 127.0.0.1 $PORT \
            "$(awk -v b=$BOUND 'BEGIN {printf "%.0f", b * 5}')" 10 $FLOOD_SOURCES $FLOOD_SENDERS bench-template \
            "$BENCH_PASSWORD" $SVC_PID > "$OUT/flood-warmup.txt" 2>&1 || true
        sleep 5
        for mult in ${FLOOD//,/ }; do
            rate=$(awk -v b=$BOUND -v m=$mult 'BEGIN {printf "%.0f", b * m}')
            log "[$phase] flood: ${mult}x the hash bound of $BOUND/s (hash $HASH_MS_BEFORE ms): $rate logins/s of unknown users for $FLOOD_SECONDS s"
            echo "flood at ${mult}x the hash bound ($BOUND/s, one hash $HASH_MS_BEFORE ms): $rate/s offered" >> "$OUT/flood.txt"
            java -XX:+UseSerialGC -Xmx512m -cp "$CLASSES" Flood 127.0.0.1 $PORT $rate $FLOOD_SECONDS $FLOOD_SOURCES \
                $FLOOD_SENDERS bench-template "$BENCH_PASSWORD" $SVC_PID $CLK_TCK 2>> "$OUT/flood.err" | tee -a "$OUT/flood.txt" | sed 's/^/    /'
            (( PIPESTATUS[0] == 0 )) || rc=1
            # Let the shed logins' lockouts and queues drain before the next multiple.
            sleep 5
        done
        cat "$OUT/flood.txt" >> "$SUMMARY"
    else
        "${LOADGEN[@]}" 2> "$OUT/loadgen-$phase.err" | tee "$OUT/loadgen-$phase.out" | sed 's/^/    /'
        rc=${PIPESTATUS[0]}
    fi
    set -e
    if (( rc != 0 )); then
        fail "[$phase cost] the load generator reported failures (exit $rc); samples in $FAILURES"
        if [[ -s "$FAILURES" ]]; then head -5 "$FAILURES" | sed 's/^/    /' | tee -a "$SUMMARY"; fi
        if (( rc == 3 )); then exit 1; fi
    fi
    # The resilience run's capacity and enrollment lines (a flood has no load generator output).
    if [[ -f "$OUT/loadgen-$phase.out" ]]; then
        grep -E '^(capacity|enrollments)' "$OUT/loadgen-$phase.out" >> "$SUMMARY" || true
    fi

    if [[ -n $LOAD ]]; then
        # No lost update: what the service answered 200 for is what the database holds.
        touch "$OUT/enrolled.tsv" "$OUT/steps.tsv"
        psql -tA -F' ' -X -h $PG_HOST -p $PG_PORT -U $PG_USER -d "$db" -v ON_ERROR_STOP=1 > "$OUT/db-check.txt" <<SQL
create temp table enrolled (username text, id uuid);
\copy enrolled from '$OUT/enrolled.tsv'
create temp table steps (username text, step bigint);
\copy steps from '$OUT/steps.tsv'
select 'enrolled', count(*) from enrolled;
select 'enrolled_enabled', count(*) from enrolled e join totp_credentials t on t.user_id = e.id
    where t.enabled_at is not null and t.pending_expires_at is null;
select 'enrolled_with_10_codes', count(*) from enrolled e
    where (select count(*) from backup_codes b where b.user_id = e.id and b.used_at is null) = 10;
select 'accounts_logged_in', count(*) from steps;
select 'last_step_stored', count(*) from steps s join users u on u.username = s.username
    join totp_credentials t on t.user_id = u.id where t.last_used_step = s.step;
SQL
        declare -A CHECK
        while read -r k v; do CHECK[$k]=$v; done < "$OUT/db-check.txt"
        note "[$phase cost] database check: ${CHECK[enrolled_enabled]} of ${CHECK[enrolled]} enrollments that answered 200 have an enabled TOTP credential, ${CHECK[enrolled_with_10_codes]} have their 10 unused backup codes; ${CHECK[last_step_stored]} of ${CHECK[accounts_logged_in]} accounts that logged in have exactly the last TOTP step the service accepted"
        if [[ ${CHECK[enrolled]} == 0 || ${CHECK[enrolled_enabled]} != "${CHECK[enrolled]}" || ${CHECK[enrolled_with_10_codes]} != "${CHECK[enrolled]}" || ${CHECK[last_step_stored]} != "${CHECK[accounts_logged_in]}" ]]; then
            fail "[$phase cost] lost update: the database does not hold what the service answered (see $OUT/db-check.txt)"
        fi
        code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/q/health/ready" || true)
        [[ $code == 200 ]] || fail "[$phase cost] not ready after the load test (HTTP $code)"
    fi

    # Cross-check with wrk (C, event-driven): the same JWKS endpoint at the highest connection count.
    if [[ $phase == "$last_phase" && $WRK == 1 && -z $LOAD && -z $FLOOD ]]; then
        C=${CONNS##*,}
        log "[$phase] wrk: JWKS at $C connections"
        wrk_args=(-t $(( C < 2 ? 1 : 2 )) -c $C -H 'Accept: application/jwk-set+json, application/json' "$BASE/.well-known/jwks.json")
        wrk -d ${WARMUP}s "${wrk_args[@]}" > /dev/null
        echo 5 > /proc/$SVC_PID/clear_refs 2>/dev/null || true
        s0=$(awk '{print $14 + $15}' /proc/$SVC_PID/stat)
        wrk -d ${DURATION}s --latency "${wrk_args[@]}" > "$OUT/wrk-jwks.txt"
        s1=$(awk '{print $14 + $15}' /proc/$SVC_PID/stat)
        hwm=$(( $(awk '/VmHWM/ {print $2}' /proc/$SVC_PID/status) / 1024 ))
        awk -v cost=$phase -v c=$C -v cpu=$(( s1 - s0 )) -v tck=$CLK_TCK -v hwm=$hwm -v d=$DURATION '
            function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
            / 50%/ { p50 = ms($2) } / 90%/ { p90 = ms($2) } / 99%/ { p99 = ms($2) }
            /requests in/ { n = $1 }
            /Non-2xx/ { bad += $NF }
            /Socket errors/ { for (i = 3; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) bad += $i + 0 }
            /Requests\/sec/ { rps = $2 }
            END { ok = n - bad; printf "%s\tjwks (wrk)\t%d\t%.1f\t%.2f\t%.2f\t%.2f\t%d\t%.3f\t%d\t-\t-\t-\t%d\t\n",
                  cost, c, ok / d, p50, p90, p99, bad, cpu * 1000 / tck / (n > 0 ? n : 1), hwm, n }' \
            "$OUT/wrk-jwks.txt" >> "$RESULTS"
        if grep -qE 'Non-2xx|Socket errors' "$OUT/wrk-jwks.txt"; then
            fail "[$phase cost] wrk saw errors on GET /.well-known/jwks.json: $(grep -E 'Non-2xx|Socket errors' "$OUT/wrk-jwks.txt" | tr '\n' ' ')"
        fi
    fi

    log "[$phase] stopping the service"
    SVC_PEAK=$(( $(awk '/VmHWM/ {print $2}' /proc/$SVC_PID/status) / 1024 ))
    if grep -qE ' ERROR |Exception' "$OUT/service-$phase.log"; then
        fail "[$phase cost] the service logged errors: $(grep -m3 -E ' ERROR |Exception' "$OUT/service-$phase.log" | cut -c1-300 | tr '\n' ' ')"
    fi
    stop_service
    dropdb -h $PG_HOST -p $PG_PORT -U $PG_USER --if-exists "$db"
    log "[$phase] timing one Argon2id hash (m=$MEM KiB, t=$ITER, p=$PAR), single thread, after the load"
    read -r HASH_MS_AFTER HASH_MIN HASH_MAX HASH_RUNS <<< "$("$JAVA_SVC" -XX:+UseSerialGC $HASH_JIT -cp "$CLASSES:$HASH_CP" HashTime $MEM $ITER $PAR 21 2>/dev/null)"
    HASH_MS=$(awk -v a=$HASH_MS_BEFORE -v b=$HASH_MS_AFTER 'BEGIN { print (a < b ? a : b) }')
    BOUND=$(awk -v c=$CORES -v h=$HASH_MS 'BEGIN { printf "%.1f", c * 1000 / h }')
    echo -e "$phase\t$MEM\t$ITER\t$PAR\t$HASH_MS\t$BOUND" >> "$OUT/bounds.tsv"
    note "[$phase cost] one Argon2id hash (m=$MEM KiB, t=$ITER, p=$PAR as the service hashes, its Argon2id class, single thread): median of 21 $HASH_MS_BEFORE ms before the load, $HASH_MS_AFTER ms after it (min $HASH_MIN, max $HASH_MAX); the faster, $HASH_MS ms => bound $CORES cores / $HASH_MS ms = $BOUND password checks/s"

    note "[$phase cost] phase took $(( $(date +%s) - PHASE_START )) s"
done

# ---- The table -----------------------------------------------------------------------------------------------------
{
    echo
    echo "Results ($(date +%Y-%m-%d), $CORES cores, service commit $COMMIT, DURATION=${DURATION}s after ${WARMUP}s warm-up, JVM_OPTS: $JVM_OPTS, tokens signed with $KEY_DESC)"
    echo
    printf '| %-10s | %-26s | %5s | %9s | %8s | %8s | %8s | %8s | %12s | %8s | %11s | %11s | %11s |\n' \
        "hash cost" "scenario" "conns" "ok/s" "p50 ms" "p90 ms" "p99 ms" "failures" "svc CPU ms/req" "peak RSS MiB" "pg CPU ms/req" "gen CPU ms/req" "others cores"
    printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' "------------" "----------------------------" "-------" \
        "-----------" "----------" "----------" "----------" "----------" "----------------" "--------------" "---------------" "----------------" "--------------"
    while IFS=$'\t' read -r cost scen conns ok p50 p90 p99 failures cpu rss pg gen others ops extra; do
        case $scen in
            password) label="1 password step (MFA_REQ.)" ;;
            verify) label="2 verify step (TOTP)" ;;
            login) label="3 full login (per login)" ;;
            me) label="4 GET /api/v1/me" ;;
            jwks) label="5 GET jwks.json" ;;
            "jwks (wrk)") label="5 GET jwks.json [wrk]" ;;
            *) label=$scen ;;
        esac
        printf '| %-10s | %-26s | %5s | %9s | %8s | %8s | %8s | %8s | %14s | %12s | %13s | %14s | %12s |\n' \
            "$cost" "$label" "$conns" "$ok" "$p50" "$p90" "$p99" "$failures" "$cpu" "$rss" "$pg" "$gen" "$others"
    done < "$RESULTS"
    echo
    while IFS=$'\t' read -r phase mem iter par ms bound; do
        best() { awk -F'\t' -v c=$phase -v s="$1" '$1 == c && $2 ~ s && $4 > m { m = $4 } END { printf "%.1f", m + 0 }' "$RESULTS"; }
        pw=$(best '^password$'); lg=$(best '^login')
        line="Hash bound, $phase cost (m=$mem KiB, t=$iter, p=$par): one hash $ms ms single-thread => $CORES cores / $ms ms = $bound/s"
        [[ $pw != 0.0 ]] && line+="; best password step $pw/s ($(awk -v b=$pw -v x=$bound 'BEGIN { printf "%.0f", 100 * b / x }')% of the bound)"
        [[ $lg != 0.0 ]] && line+="; best full login $lg/s ($(awk -v b=$lg -v x=$bound 'BEGIN { printf "%.0f", 100 * b / x }')% of the bound)"
        echo "$line"
    done < "$OUT/bounds.tsv"
    # The bound beside each production run (LoadGen's note: "hash beside M ms (min-max) bound B/s = P%").
    awk -F'\t' '$1 == "production" && match($15, /hash beside [^;]*%/) {
            if (n++ == 0) print "Bound beside each production run (one hash timed 7 times just before and 7 times just after the run, median):"
            printf "  %s at %s connections: %s/s, %s\n", $2, $3, $4, substr($15, RSTART, RLENGTH) }' "$RESULTS"
    grep -E 'launch to ready' "$SUMMARY" | sed 's/^\[\(.*\) cost\] launch to ready/Launch to ready, \1 cost/'
    echo "Run took $(( $(date +%s) - RUN_START )) s in all. Raw results and logs: ${OUT#"$ROOT"/}"
} | tee "$OUT/table.md"

if (( FAILED )); then
    echo
    echo "FAILED: see the FAILED lines above and $FAILURES"
    exit 1
fi
echo "OK: no failed request"

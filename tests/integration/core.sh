#!/bin/sh
# lathed itself: start-up, the socket's permissions, health and version,
# router errors, body limits, keys and TCP authentication, the state lock,
# crash safety, damaged and newer databases, clean shutdown.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/lib.sh"

start_core || { not_ok "lathed starts"; done_testing; }
ok "lathed starts in the foreground"

is "the runtime directory is 0700" \
    "$(stat -c %a "$LATHE_RUNTIME_DIR")" 700
is "the socket is 0600" "$(stat -c %a "$SOCK")" 600
is "the database is 0600" "$(stat -c %a "$LATHE_STATE_DIR/lathe.db")" 600
check "the TCP listener is on loopback" \
    sh -c "ss -ltn 2>/dev/null | grep -q '127.0.0.1:$PORT' || \
    grep -q ':$(printf %04X "$PORT") ' /proc/net/tcp"

api GET /api/v1/health
expect "health answers" 200
is "health reports the pid" "$(field pid)" "$CORE_PID"
is "health reports the port" "$(field port)" "$PORT"
api GET /api/v1/version
expect "version answers" 200
is "version reports the schema" "$(field schema)" \
    "$(sqlite3 "$LATHE_STATE_DIR/lathe.db" 'PRAGMA user_version')"

api GET /api/v1/nowhere
expect "an unknown route is 404" 404 ENDPOINT_NOT_FOUND "/api/v1/nowhere"
api DELETE /api/v1/health
expect "a wrong method is 405" 405 ENDPOINT_NOT_FOUND "allowed: GET"
allow=$(curl -s -D - -o /dev/null --unix-socket "$SOCK" -X DELETE \
    http://l/api/v1/health | tr -d '\r' | sed -n 's/^Allow: //ip')
is "405 carries an Allow header" "$allow" "GET"

api POST /api/v1/projects '{"name": "x", '
expect "truncated JSON is 400" 400 MALFORMED_REQUEST "unexpected end"
api POST /api/v1/projects '{"name": "x",
  "description": nope}'
expect "malformed JSON says where" 400 MALFORMED_REQUEST "line 2, column 18"
api POST /api/v1/projects '[1, 2]'
expect "a JSON array body is 400" 400 MALFORMED_REQUEST "JSON object"
api POST /api/v1/projects ''
expect "an empty body is 400" 400 MALFORMED_REQUEST "empty"
printf '{"name": "caf\377"}' >"$T/bad-utf8.json"
STATUS=$(curl -s --unix-socket "$SOCK" -o "$T/body" -w '%{http_code}' \
    -X POST --data-binary @"$T/bad-utf8.json" http://l/api/v1/projects)
expect "invalid UTF-8 in a body is 400" 400 MALFORMED_REQUEST "invalid UTF-8"

# A 100 MB body is refused without being read whole.
head -c 104857600 /dev/zero >"$T/huge"
STATUS=$(curl -s --unix-socket "$SOCK" -o "$T/body" -w '%{http_code}' \
    -X POST -H 'Content-Type: application/json' \
    --data-binary @"$T/huge" http://l/api/v1/projects)
expect "a 100 MB body is 413" 413 REQUEST_LIMIT_EXCEEDED "4194304"
rm -f "$T/huge"
# The same without a Content-Length (chunked): refused as it arrives.
STATUS=$(head -c 10485760 /dev/zero | curl -s --unix-socket "$SOCK" \
    -o "$T/body" -w '%{http_code}' -X POST -H 'Transfer-Encoding: chunked' \
    --data-binary @- http://l/api/v1/projects)
expect "a chunked 10 MB body is 413" 413 REQUEST_LIMIT_EXCEEDED
api GET /api/v1/health
expect "the core still answers after refusing big bodies" 200

# TCP: every request needs a valid key.
tcp GET /api/v1/health
expect "TCP without a key is 401" 401 UNAUTHENTICATED "lathe key create"
tcp GET /api/v1/health -H "Authorization: Bearer lk_00000000_nope"
expect "TCP with an unknown key is 401" 401 UNAUTHENTICATED "not valid"
api POST /api/v1/keys '{"name": "ci"}'
expect "a key is created on the socket" 201
KEY=$(field key)
KEY_ID=$(field id)
check "the key has its public prefix" \
    sh -c "echo '$KEY' | grep -Eq '^lk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$'"
check "the key itself is not in the database" \
    sh -c "! grep -qF -e '$(echo "$KEY" | cut -d_ -f3-)' \
    '$LATHE_STATE_DIR/lathe.db' '$LATHE_STATE_DIR/lathe.db-wal'"
tcp GET /api/v1/health -H "Authorization: Bearer $KEY"
expect "TCP with the key is served" 200
tcp GET /api/v1/keys -H "Authorization: Bearer $KEY"
expect "keys are not managed over TCP" 403 PERMISSION_DENIED
api GET /api/v1/keys
expect "keys are listed" 200
is "the listing never shows the key" "$(grep -c "$KEY" "$T/body")" 0
is "the listing records the last use" \
    "$(field keys.0.last_used_at | cut -c1-2)" "20"
tcp POST /api/v1/projects -H "Authorization: Bearer $KEY" \
    -H 'Content-Length: 999999999'
expect "TCP checks the body size before the key is even needed" 413
api DELETE "/api/v1/keys/$KEY_ID"
expect "a key is revoked" 200
tcp GET /api/v1/health -H "Authorization: Bearer $KEY"
expect "a revoked key is refused" 401 UNAUTHENTICATED "revoked"
api DELETE /api/v1/keys/9999
expect "revoking an unknown key is 404" 404 RESOURCE_DOES_NOT_EXIST
api DELETE /api/v1/keys/abc
expect "revoking a non-id is 400" 400 INVALID_PARAMETER_VALUE

# One lathed per state directory.
"$LATHED" --foreground >"$T/second.out" 2>&1
is "a second lathed exits 3" $? 3
check "the second lathed names the pid holding the state" \
    grep -q "pid $CORE_PID" "$T/second.out"

# Killed with -9 in the middle of writes: nothing acknowledged is lost.
acked="$T/acked"
: >"$acked"
(
	i=0
	while [ $i -lt 400 ]; do
		code=$(curl -s --unix-socket "$SOCK" -o /dev/null \
		    -w '%{http_code}' -X POST \
		    --data-binary "{\"name\": \"crash-$i\"}" \
		    http://l/api/v1/projects) || break
		[ "$code" = 201 ] && echo "crash-$i" >>"$acked"
		i=$((i + 1))
	done
) &
writer=$!
n=0
while [ "$(wc -l <"$acked")" -lt 20 ] && [ $n -lt 200 ]; do
	sleep 0.05
	n=$((n + 1))
done
kill -9 "$CORE_PID"
wait "$CORE_PID" 2>/dev/null
CORE_PID=""
wait "$writer" 2>/dev/null
start_core || not_ok "lathed restarts after kill -9"
missing=0
for name in $(cat "$acked"); do
	api GET "/api/v1/projects/$name"
	[ "$STATUS" = 200 ] || missing=$((missing + 1))
done
is "every project acknowledged before kill -9 is there ($(wc -l <"$acked"))" \
    "$missing" 0
check "at least 20 writes were acknowledged before the kill" \
    test "$(wc -l <"$acked")" -ge 20
check "no import directory is left behind" \
    sh -c "! ls -a '$LATHE_STATE_DIR/projects' | grep -q '^\.import-'"

# Clean shutdown on SIGTERM.
stop_core
is "SIGTERM stops lathed with status 0" "$CORE_STATUS" 0
check "the socket is removed on shutdown" test ! -e "$SOCK"

# A newer schema and a damaged database are refused with clear errors.
schema=$(sqlite3 "$LATHE_STATE_DIR/lathe.db" 'PRAGMA user_version')
sqlite3 "$LATHE_STATE_DIR/lathe.db" 'PRAGMA user_version = 77'
"$LATHED" --foreground >"$T/newer.out" 2>&1
is "a newer schema exits 4" $? 4
check "a newer schema is explained" grep -q "schema version 77" "$T/newer.out"
sqlite3 "$LATHE_STATE_DIR/lathe.db" "PRAGMA user_version = $schema"
mv "$LATHE_STATE_DIR/lathe.db" "$T/good.db"
rm -f "$LATHE_STATE_DIR/lathe.db-wal" "$LATHE_STATE_DIR/lathe.db-shm"
head -c 8192 /dev/urandom >"$LATHE_STATE_DIR/lathe.db"
"$LATHED" --foreground >"$T/damaged.out" 2>&1
is "a damaged database exits 4" $? 4
check "a damaged database is explained" grep -q "is damaged" "$T/damaged.out"
check "the damaged database is left as it was" \
    test "$(stat -c %s "$LATHE_STATE_DIR/lathe.db")" -eq 8192
mv "$T/good.db" "$LATHE_STATE_DIR/lathe.db"

# Daemon mode: returns once listening, and reports start-up errors.
"$LATHED" --port 0 >"$T/daemon.out" 2>&1
is "lathed daemonizes and returns 0" $? 0
api GET /api/v1/health
expect "the daemon answers" 200
DAEMON_PID=$(field pid)
"$LATHED" >"$T/daemon2.out" 2>&1
is "a second daemon reports the lock to its caller" $? 3
check "the caller sees which pid holds it" \
    grep -q "pid $DAEMON_PID" "$T/daemon2.out"
kill -TERM "$DAEMON_PID"
n=0
while kill -0 "$DAEMON_PID" 2>/dev/null && [ $n -lt 100 ]; do
	sleep 0.05
	n=$((n + 1))
done
check "the daemon stops on SIGTERM" sh -c "! kill -0 $DAEMON_PID 2>/dev/null"

start_core || not_ok "lathed starts again"
api POST /api/v1/core/shutdown
expect "a shutdown request is answered before the core stops" 202
wait "$CORE_PID"
is "the core then exits 0" $? 0
CORE_PID=""

mkdir -m 755 "$T/shared"
LATHE_RUNTIME_DIR="$T/shared" "$LATHED" --foreground >"$T/shared.out" 2>&1
is "a runtime directory open to others is refused" $? 1
check "and left as it was" test "$(stat -c %a "$T/shared")" = 755
check "the refusal says why" grep -q "open to other users" "$T/shared.out"

"$LATHED" --foreground --port 99999 >"$T/usage.out" 2>&1
is "a bad option value exits 2" $? 2
check "a bad port is explained" grep -q "bad port '99999'" "$T/usage.out"
"$LATHED" --foreground --max-body 0 >"$T/usage.out" 2>&1
is "a zero body limit is refused" $? 2
"$LATHED" --foreground --max-body 17179869185G >"$T/usage.out" 2>&1
is "a body limit that overflows is refused" $? 2

done_testing

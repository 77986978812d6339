#!/bin/sh
# The lathe command line end to end, as a user runs it: lathed started by
# lathe itself, projects created from every kind of source, their files and
# environment, help and usage errors, --json, API keys and TCP, a core that
# cannot be reached, and lathe core stop.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/lib.sh"

# Commands below run in other directories too: make the binaries absolute.
top_builddir=$(cd "$top_builddir" && pwd)
export LATHED="$top_builddir/lathed"
export PATH="$top_builddir:$PATH"
VERSION=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' \
    "$top_builddir/config.h")
ESC=$(printf '\033')
# script(1) gives lathe a terminal, for what it does only on one.
SCRIPT=$(command -v script)

# Here lathed is a daemon that lathe started, not a child of this script:
# stop it as a user would before lib.sh's cleanup removes its state.
cli_cleanup() {
	if [ -S "$SOCK" ] ||
	    { [ -n "$CORE_PID" ] && kill -0 "$CORE_PID" 2>/dev/null; }; then
		(unset LATHE_URL LATHE_KEY; timeout 15 lathe core stop) \
		    >/dev/null 2>&1
	fi
	cleanup
}
trap cli_cleanup EXIT
trap 'exit 1' HUP INT TERM

# lists NAME ENTRY...: the last `project files` printed each entry as the
# last column of one of its lines.
lists() {
	name=$1
	shift
	for entry in "$@"; do
		if ! grep -q " $entry\$" "$T/out"; then
			not_ok "$name" "no entry '$entry'" "$(said)"
			return
		fi
	done
	[ "$RC" = 0 ] && ok "$name" || not_ok "$name" "$(said)"
}

# Sources to create projects from.
src="$T/src"
mkdir -p "$src/data"
printf 'print("hi")\n' >"$src/main.py"
printf 'a,b\n1,2\n' >"$src/data/x.csv"
(cd "$src" && zip -qr "$T/good.zip" . && tar -czf "$T/good.tar.gz" .)
git -c init.defaultBranch=main init -q "$T/repo"
printf '# from git\n' >"$T/repo/README.md"
git -C "$T/repo" add README.md
git -C "$T/repo" -c user.name=t -c user.email=t@example.com \
    commit -qm init
python3 - "$T" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1] + "/dotdot.zip", "w") as z:
    z.writestr("ok.txt", "fine")
    z.writestr("../escape.txt", "bad")
PY
src_real=$(cd "$src" && pwd -P)

# Help, version and usage errors: answered without a core.
run lathe help
passes "lathe help lists the commands" "project create" "project env" \
    "key revoke" "core stop" "--json"
run lathe
fails "lathe alone without a terminal says the interface needs one" 2 \
    "needs a terminal" "lathe help"
run lathe project --help
passes "lathe project --help lists the verbs" "lathe project env NAME" \
    "lathe project cat NAME PATH" "lathe project rm NAME"
run lathe help project
passes "lathe help project is the same help" "lathe project files NAME"
run lathe project create --help
passes "lathe project create --help lists its options" \
    "usage: lathe project create NAME" "--dir PATH" "--copy" \
    "--archive FILE" "--git URL" "--template NAME" "--json"
run lathe --version
is "lathe --version prints the version" "$(cat "$T/out")" "lathe $VERSION"
run lathe --version --json
json_ok "lathe --version --json" 0 "v == {'version': '$VERSION'}"

run lathe projct list
fails "an unknown noun is a usage error" 2 "unknown command 'projct'" \
    "did you mean 'project'?" "usage: lathe"
run lathe project lst
fails "a mistyped verb suggests the right one" 2 \
    "unknown verb 'lst' for project" "did you mean 'list'?"
run lathe project frob
fails "an unknown verb lists the valid ones" 2 \
    "the verbs are create, list, show, update, rm, env, files, cat"
run lathe project
fails "a noun without a verb lists its verbs" 2 "project needs a verb"
run lathe project show
fails "a missing argument is named" 2 "missing NAME" \
    "usage: lathe project show NAME"
run lathe project cat p1
fails "the second missing argument is named" 2 "missing PATH"
run lathe project show a b
fails "too many arguments" 2 "too many arguments, from 'b'"
run lathe project list --bogus
fails "an unknown option" 2 "unknown or ambiguous option --bogus"
run lathe project create p1 --dir
fails "an option without its value" 2 "option --dir needs a value"
run lathe project create p1 --dir "$src" --git "$T/repo"
fails "two sources at once are refused" 2 "--dir and --git" \
    "give only one source" "usage: lathe project create NAME"
run lathe project create p1 --copy
fails "--copy needs --dir" 2 "--copy goes with --dir"
run lathe project show ""
fails "an empty project name" 2 "must not be empty"
run lathe project update p1
fails "an update with nothing to change" 2 "nothing to change"
run lathe project env p1 frob
fails "an unknown env action" 2 "unknown action 'frob'"
run lathe project env p1 set A
fails "set without a value or --secret" 2 "A has no value"
run lathe --json project show
json_ok "--json reports a usage error as JSON on stdout" 2 \
    "v == {'error_code': 'INVALID_PARAMETER_VALUE', 'message': 'missing NAME'}"
check "help and usage errors did not start lathed" test ! -e "$SOCK"

# Autostart: the first command starts lathed ($LATHED) and is served.
run lathe project list
passes "the first command starts lathed and lists no projects" \
    "no projects: make one with 'lathe project create NAME'"
# Known at once, so that the cleanup stops it whatever fails next.
CORE_PID=$(tr -dc 0-9 <"$LATHE_STATE_DIR/lathed.lock")
check "the autostarted lathed runs" kill -0 "$CORE_PID"
run lathe core status --json
json_ok "core status --json describes the running core" 0 \
    "v['status'] == 'ok' and v['pid'] == ${CORE_PID:-0} and \
v['port'] > 0 and v['listen'] == '127.0.0.1' and v['socket'] == '$SOCK'"
PORT=$(out_field port)
is "it is \$LATHED" "$(readlink "/proc/$CORE_PID/exe")" \
    "$(readlink -f "$LATHED")"
is "its port is the one in the state directory" "$PORT" \
    "$(cat "$LATHE_STATE_DIR/lathed.port")"
api GET /api/v1/health
is "the health API names the same pid" "$(field pid)" "$CORE_PID"
run lathe core status
passes "core status shows pid, socket and the TCP URL" \
    "lathed $VERSION running (pid $CORE_PID)" "$SOCK" \
    "http://127.0.0.1:$PORT"
run lathe core start
passes "core start leaves the running core alone" \
    "lathed running (pid $CORE_PID)"

# Creation from each kind of source.
run lathe project create p1
passes "create from the blank template by default" "created project p1 (id "
run lathe project files p1
lists "the blank project's files are listed" README.md main.py
lathe project cat p1 main.py >"$T/got" 2>"$T/err"
check "cat prints the template's main.py exactly" \
    cmp "$T/got" "$LATHE_DATA_DIR/templates/blank/main.py"

run lathe project create churn --template example --description "Churn"
passes "create from the example template" "created project churn (id "
run lathe project files churn
lists "the example's files are listed" README.md generate_data.py train.py
lathe project cat churn train.py >"$T/got" 2>"$T/err"
check "cat prints the example's train.py exactly" \
    cmp "$T/got" "$LATHE_DATA_DIR/templates/example/train.py"

run -C "$T" lathe project create adopted --dir src
passes "create --dir with a relative path adopts the directory" \
    "created project adopted (id " "in $src_real"
run lathe project show adopted
passes "show tells the files are adopted" "adopted: they stay where they are"
run lathe project files adopted
lists "an adopted directory's files are listed" main.py data/
run lathe project files adopted data
lists "a subdirectory is listed" x.csv
lathe project cat adopted data/x.csv >"$T/got" 2>"$T/err"
check "cat prints an adopted file exactly" cmp "$T/got" "$src/data/x.csv"

run lathe project create copied --dir "$src" --copy
passes "create --dir --copy" "created project copied (id "
check "the copy is kept in the state directory" \
    grep -qF "in $LATHE_STATE_DIR/projects/" "$T/out"
COPY_PATH=$(sed -n 's/^created project copied (id [0-9]*) in //p' "$T/out")
lathe project cat copied main.py >"$T/got" 2>"$T/err"
check "cat prints a copied file exactly" cmp "$T/got" "$src/main.py"

run -C "$T" lathe project create zipped --archive good.zip
passes "create --archive from a zip (relative path)" \
    "created project zipped (id "
run lathe project files zipped
lists "the zip's files are listed" main.py data/
lathe project cat zipped data/x.csv >"$T/got" 2>"$T/err"
check "cat prints a file from the zip exactly" cmp "$T/got" "$src/data/x.csv"

run lathe project create tarred --archive "$T/good.tar.gz"
passes "create --archive from a tar.gz" "created project tarred (id "
run lathe project files tarred
lists "the tar's files are listed" main.py data/
lathe project cat tarred main.py >"$T/got" 2>"$T/err"
check "cat prints a file from the tar exactly" cmp "$T/got" "$src/main.py"

run lathe project create cloned --git "$T/repo"
passes "create --git from a local repository" "created project cloned (id "
run lathe project files cloned
lists "the clone's files are listed" README.md
lathe project cat cloned README.md >"$T/got" 2>"$T/err"
check "cat prints the committed file exactly" cmp "$T/got" "$T/repo/README.md"

# Errors the core reports: exit 1, its message on stderr.
run lathe project show nope
fails "an unknown project" 1 "no project named 'nope'"
run lathe project create p1
fails "a taken name" 1 "a project named 'p1' already exists"
run lathe project create "bad name"
fails "an invalid name" 1 "may only use letters, digits" "not ' '"
run lathe project create "x${ESC}[2J"
fails "a name with a control character is refused" 1 "control character"
check "and the error does not echo the escape" no_byte "$T/err" '\033'
run lathe project create p2 --dir "$T/missing"
fails "--dir of a missing path" 1 "--dir $T/missing: No such file"
run lathe project create p2 --dir "$src/main.py"
fails "--dir of a file" 1 "main.py: not a directory"
run lathe project create p2 --archive "$src"
fails "--archive of a directory" 1 "not a file (use --dir"
run lathe project create p2 --archive "$T/dotdot.zip"
fails "a zip with a ../ entry is refused" 1 \
    "'../escape.txt' escapes the project"
check "nothing escaped the project" test ! -e "$T/escape.txt"
run lathe project show p2
fails "and no project is left" 1 "no project named 'p2'"
run lathe project create p2 --git "$T/no-repo"
fails "--git of a missing repository shows git's message" 1 \
    "git clone failed" "'$T/no-repo' does not exist"
run lathe project create p2 --template nope
fails "an unknown template" 1 "no template 'nope'"
run lathe project rm p1
fails "rm without --yes refuses when stdin is no terminal" 2 \
    "standard input is not a terminal" "pass --yes"
run lathe project show p1
passes "and the project is still there" "p1"

# --json on list, show and create, and on errors.
run lathe project list --json
json_ok "list --json has every project" 0 \
    "sorted(p['name'] for p in v['projects']) == ['adopted', 'churn', \
'cloned', 'copied', 'p1', 'tarred', 'zipped'] and \
'next_page_token' not in v"
run lathe --json project show adopted
json_ok "show --json has the project's fields" 0 \
    "v['name'] == 'adopted' and v['adopted'] is True and \
v['path'] == '$src_real' and v['source']['type'] == 'dir' and \
isinstance(v['id'], (int, str))"
run lathe project create j1 --template example --description "via json" \
    --json
json_ok "create --json answers the new project" 0 \
    "v['name'] == 'j1' and v['description'] == 'via json' and \
v['source'] == {'type': 'template', 'location': 'example'} and \
v['adopted'] is False"
run lathe project show nope --json
json_ok "an error with --json is JSON on stdout" 1 \
    "v == {'error_code': 'RESOURCE_DOES_NOT_EXIST', \
'message': \"no project named 'nope'\"}"
check "and the message on stderr" grep -q "^lathe: no project named 'nope'" \
    "$T/err"

# Environment variables; a secret never shown.
run lathe project env churn set A=1 B=two
passes "env set of two variables" "set A" "set B"
run lathe project env churn
passes "env lists them" "A=1" "B=two"
printf 'hunter2-s3cret\n' >"$T/secret"
run -i "$T/secret" lathe project env churn set TOKEN --secret
passes "a secret is read from stdin" "set TOKEN (secret)"
check "setting it does not echo it" \
    sh -c "! grep -q hunter2 '$T/out' '$T/err'"
run lathe project env churn
passes "the listing masks the secret" "TOKEN=******** (secret)" "A=1"
check "the listing never shows the secret" lacks "$T/out" hunter2
run lathe project env churn --json
json_ok "env --json marks the secret, without its value" 0 \
    "[e for e in v['env'] if e['name'] == 'TOKEN'][0]['secret'] is True"
check "env --json never shows the secret" lacks "$T/out" hunter2
run lathe project env churn set TOKEN --secret
fails "--secret with nothing on stdin" 1 "no value for TOKEN"
run lathe project env churn unset A
passes "env unset" "unset A"
run lathe project env churn
check "the unset variable is gone" sh -c "! grep -q '^A=' '$T/out' && \
    grep -q '^B=two\$' '$T/out'"
run lathe project env churn unset NOPE
fails "unsetting an unknown variable" 1 "no variable 'NOPE'"
run lathe project env churn set 1BAD=x
fails "a bad variable name" 1 "'1BAD' is not valid"
run lathe project env nope
fails "the env of an unknown project" 1 "no project named 'nope'"

# Update and rename.
run lathe project update churn --description "Churn model" --name churn2
passes "update renames and describes" "updated project churn2 (id "
run lathe project show churn2
passes "show finds it under its new name" "Churn model" "template example"
run lathe project show churn
fails "the old name is gone" 1 "no project named 'churn'"
run lathe project update churn2 --name p1
fails "a rename onto a taken name" 1 "already exists"

# cat: binary files, and what reaches a terminal.
printf 'abc\000def' >"$src/blob.bin"
printf 'a\033[2Jb' >"$src/esc.txt"
run lathe project cat adopted blob.bin
fails "cat of a binary file without --raw" 1 \
    "blob.bin: binary file, 7 bytes (use --raw"
run lathe project cat adopted blob.bin --raw
check "cat --raw writes the bytes unchanged" cmp "$T/out" "$src/blob.bin"
run lathe project cat adopted blob.bin --json
json_ok "cat --json sends a binary file as base64" 0 \
    "v['binary'] is True and v['encoding'] == 'base64' and \
v['content'] == 'YWJjAGRlZg==' and v['size'] == 7"
run lathe project cat adopted esc.txt
check "cat into a pipe writes the file as it is" cmp "$T/out" "$src/esc.txt"
run lathe project cat adopted nope.txt
fails "cat of a missing file" 1 "'nope.txt' does not exist"
run lathe project cat adopted ../x
fails "cat of a path out of the project" 1 "must not contain '..'"
run lathe project files adopted ..
fails "files of the project's parent" 1 "path '..' must not contain '..'"
if [ -n "$SCRIPT" ]; then
	run script -qec "lathe project cat adopted esc.txt" /dev/null
	check "cat on a terminal shows the escape as text" \
	    grep -qF 'a^[[2Jb' "$T/out"
	check "and never sends it" no_byte "$T/out" '\033'
	run script -qec "lathe project cat adopted esc.txt --raw" /dev/null
	check "cat --raw sends it even to a terminal" \
	    grep -qF "a${ESC}[2Jb" "$T/out"
else
	skip "cat on a terminal (no script(1))" 3
fi
touch "$src/e${ESC}[31mx"
run lathe project files adopted
check "a file name with an escape is listed as text" \
    grep -qF 'e^[[31mx' "$T/out"
check "and never sent raw, even into a pipe" no_byte "$T/out" '\033'

# rm: asking on a terminal, --yes, and adopted files left in place.
if [ -n "$SCRIPT" ]; then
	printf 'p1x\n' >"$T/typed"
	run -i "$T/typed" script -qec "lathe project rm p1" /dev/null
	check "rm on a terminal asks for the name" \
	    grep -q "Type the project name to delete it" "$T/out"
	is "a wrong name typed exits 1" "$RC" 1
	check "and says so" grep -q "that is not the project's name" "$T/out"
	run lathe project show p1
	passes "p1 is still there" "p1"
	printf 'p1\n' >"$T/typed"
	run -i "$T/typed" script -qec "lathe project rm p1" /dev/null
	is "typing the name deletes it" "$RC" 0
	run lathe project show p1
	fails "p1 is gone" 1 "no project named 'p1'"
else
	skip "rm on a terminal (no script(1))" 6
	run lathe project rm p1 --yes
fi
run lathe project rm copied --yes
passes "rm --yes" "deleted project copied"
run lathe project show copied
fails "a deleted project is not shown" 1 "no project named 'copied'"
n=0
while [ -e "$COPY_PATH" ] && [ $n -lt 100 ]; do
	sleep 0.05
	n=$((n + 1))
done
check "its copied files are removed" test -n "$COPY_PATH" -a ! -e "$COPY_PATH"
run lathe project rm adopted -y
passes "rm -y of an adopted project" "deleted project adopted"
check "its directory is left in place" \
    test -f "$src/main.py" -a -f "$src/data/x.csv"
run lathe project rm adopted --yes
fails "rm of a project that is gone" 1 "no project named 'adopted'"

# API keys, and lathe over TCP.
run lathe key create ci
KEY=$(cat "$T/out")
check "key create prints the key alone on stdout" \
    sh -c "test $RC = 0 && test \$(wc -l <'$T/out') = 1 && \
    grep -Eq '^lk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}\$' '$T/out'"
PREFIX=$(printf '%s' "$KEY" | cut -c1-11)
check "and says on stderr that it is shown once" \
    grep -q "created key ci (id [0-9]*, prefix $PREFIX); it is shown only" \
    "$T/err"
KEY_ID=$(sed -n 's/.*(id \([0-9]*\),.*/\1/p' "$T/err")
URL="http://127.0.0.1:$PORT"
# With the socket hidden, only TCP can serve this.
run env LATHE_URL="$URL/" LATHE_KEY="$KEY" \
    LATHE_RUNTIME_DIR="$T/no-runtime" lathe project list
passes "project list works over TCP with the key" "churn2" "cloned" "zipped"
check "TCP use starts no core on another socket" test ! -e "$T/no-runtime"
run env LATHE_URL="$URL" LATHE_KEY="$KEY" lathe project show cloned --json
json_ok "show --json works over TCP" 0 "v['name'] == 'cloned'"
run env LATHE_URL="$URL" LATHE_KEY="lk_00000000_wrong" lathe project list
fails "a wrong key is refused" 1 "the API key is not valid"
run env LATHE_URL="$URL" lathe project list
fails "LATHE_URL without LATHE_KEY" 1 "LATHE_URL is set but LATHE_KEY is not"
run env LATHE_URL="ftp://127.0.0.1:$PORT" LATHE_KEY="$KEY" lathe project list
fails "LATHE_URL that is no http URL" 1 "LATHE_URL must be a URL"
run env LATHE_URL="$URL" LATHE_KEY="$KEY x" lathe project list
fails "a key with a space is not sent" 1 "LATHE_KEY contains spaces"
run env LATHE_URL="$URL" LATHE_KEY="$KEY" lathe key create other
fails "keys are not managed over TCP" 1 "only served on the local socket"
run lathe key list
passes "key list shows the key's id, name and prefix" "$PREFIX" " ci "
check "key list never shows the key" lacks "$T/out" "$KEY"
run lathe key list --json
json_ok "key list --json" 0 \
    "[(k['name'], k['prefix']) for k in v['keys']] == [('ci', '$PREFIX')] \
and v['keys'][0]['last_used_at'] is not None"
check "key list --json never shows the key" \
    lacks "$T/out" "$(printf '%s' "$KEY" | cut -c13-)"
run lathe key revoke "$KEY_ID"
passes "key revoke" "revoked key $KEY_ID"
run env LATHE_URL="$URL" LATHE_KEY="$KEY" lathe project list
fails "a revoked key is refused" 1 "the API key has been revoked"
run lathe key revoke 9999
fails "revoking an unknown key" 1 "no key with id 9999"
run lathe key revoke ""
fails "revoking an empty id" 2 "must not be empty"

# A core that cannot be reached: a clear error, quickly.
start=$(date +%s%N)
run env LATHE_URL="http://127.0.0.1:1" LATHE_KEY="$KEY" lathe project list
end=$(date +%s%N)
fails "a closed port is reported" 1 "nothing answers at http://127.0.0.1:1"
check "and within 5 s ($(( (end - start) / 1000000 )) ms)" \
    test $(( (end - start) / 1000000 )) -lt 5000
run env LATHE_URL="http://127.0.0.1:1" LATHE_KEY="$KEY" lathe --json \
    project list
json_ok "--json reports it as temporarily unavailable" 1 \
    "v['error_code'] == 'TEMPORARILY_UNAVAILABLE' and \
'127.0.0.1:1' in v['message']"

# Stopping the core; commands that must not start it.
run lathe core stop
passes "core stop stops lathed" "stopped lathed (pid $CORE_PID)"
check "lathed has exited when core stop returns" exited "$CORE_PID"
check "its socket is gone" test ! -e "$SOCK"
OLD_PID=$CORE_PID
CORE_PID=""
run lathe core status
is "core status then exits 1" "$RC" 1
check "and says lathed is not running" \
    grep -qx "lathed is not running" "$T/out"
run lathe core status --json
json_ok "core status --json when not running" 1 \
    "v['error_code'] == 'TEMPORARILY_UNAVAILABLE'"
run lathe core stop
passes "core stop when not running exits 0" "lathed is not running"
check "status and stop did not start lathed" test ! -e "$SOCK"
run env LATHED="$T/no-lathed" lathe project list
fails "an autostart of a missing lathed" 1 \
    "cannot run $T/no-lathed: No such file" "set LATHED"
run env LATHED=false lathe project list
fails "an autostart of a lathed that fails" 1 \
    "lathed could not start: false exited with status 1"

# Clients racing to start it: one lathed, and every command served.
pids=""
for i in 1 2 3 4; do
	timeout 20 lathe project list </dev/null >"$T/race$i.out" \
	    2>"$T/race$i.err" &
	pids="$pids $!"
done
raced=0
for pid in $pids; do
	wait "$pid" || raced=$((raced + 1))
done
for i in 1 2 3 4; do
	grep -q cloned "$T/race$i.out" || raced=$((raced + 1))
done
is "four clients starting lathed at once are all served" "$raced" 0
CORE_PID=$(tr -dc 0-9 <"$LATHE_STATE_DIR/lathed.lock")
check "a new lathed runs" \
    sh -c "test -n '$CORE_PID' && test '$CORE_PID' != '$OLD_PID' && \
    kill -0 '$CORE_PID'"
run lathe core status --json
json_ok "it is the one that answers" 0 "v['pid'] == ${CORE_PID:-0}"
run lathe project env churn2
passes "the projects and their variables survived" \
    "TOKEN=******** (secret)" "B=two"
run lathe core stop
passes "core stop stops it again" "stopped lathed (pid $CORE_PID)"
check "and it has exited" exited "$CORE_PID"
CORE_PID=""

done_testing

#!/bin/sh
# Projects through the API: creation from each kind of source, the archive
# and path safety rules, listing with pages, show, update, environment
# variables, files and their content, deletion.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/lib.sh"

start_core || { not_ok "lathed starts"; done_testing; }

# Sources to import from.
src="$T/src"
mkdir -p "$src/data" "$T/outside"
printf 'print("hi")\n' >"$src/main.py"
printf 'a,b\n1,2\n' >"$src/data/x.csv"
echo "secret outside" >"$T/outside/secret.txt"
(cd "$src" && zip -qr "$T/good.zip" . && tar -czf "$T/good.tgz" .)
git init -q "$T/repo"
printf '# repo\n' >"$T/repo/README.md"
git -C "$T/repo" add README.md
git -C "$T/repo" -c user.name=t -c user.email=t@example.com \
    commit -qm init

create() {
	api POST /api/v1/projects "$1"
}

create '{"name": "blank1"}'
expect "a project is created from the blank template by default" 201
is "its source is the blank template" "$(field source.location)" blank
check "its files are under the state directory" \
    test -f "$(field path)/main.py"

create '{"name": "example", "source": {"type": "template", "location": "example"}}'
expect "a project is created from the example template" 201
EXAMPLE_PATH=$(field path)
check "the example has its training script" test -f "$EXAMPLE_PATH/train.py"
check "the example's data generator runs" \
    sh -c "cd '$EXAMPLE_PATH' && python3 generate_data.py --rows 200 --out '$T/churn.csv'"

create "{\"name\": \"adopted\", \"source\": {\"type\": \"dir\", \"location\": \"$src\"}}"
expect "a directory is adopted in place" 201
is "an adopted project keeps its path" "$(field path)" "$src"
is "it is marked adopted" "$(field adopted)" true

create "{\"name\": \"copied\", \"source\": {\"type\": \"copy\", \"location\": \"$src\"}}"
expect "a directory is copied" 201
COPY_PATH=$(field path)
check "the copy has the nested file" test -f "$COPY_PATH/data/x.csv"
check "the copy is a copy" test "$COPY_PATH" != "$src"

create "{\"name\": \"zipped\", \"source\": {\"type\": \"archive\", \"location\": \"$T/good.zip\"}}"
expect "a zip archive is imported" 201
check "the zip's files are there" test -f "$(field path)/data/x.csv"
create "{\"name\": \"tarred\", \"source\": {\"type\": \"archive\", \"location\": \"$T/good.tgz\"}}"
expect "a tar.gz archive is imported" 201
check "the tar's files are there" test -f "$(field path)/main.py"

create "{\"name\": \"cloned\", \"source\": {\"type\": \"git\", \"location\": \"$T/repo\"}}"
expect "a git repository is cloned" 201
check "the clone has the repository's file" test -f "$(field path)/README.md"
check "the clone is a git work tree" test -d "$(field path)/.git"
create "{\"name\": \"nogit\", \"source\": {\"type\": \"git\", \"location\": \"$T/no-such-repo\"}}"
expect "a bad git URL shows git's error" 400 INVALID_PARAMETER_VALUE \
    "git clone failed"
create '{"name": "creds", "source": {"type": "git", "location": "https://alice:s3cr3t-token@127.0.0.1:1/team/repo.git"}}'
expect "a git clone that fails says so" 400 INVALID_PARAMETER_VALUE \
    "git clone failed"
check "a password in a git URL never reaches the answer" \
    sh -c "! grep -q s3cr3t '$T/body'"
check "nor the log" sh -c "! grep -q s3cr3t '$LATHE_STATE_DIR/lathed.log'"
create '{"name": "opt", "source": {"type": "git", "location": "--upload-pack=touch /tmp/x"}}'
expect "a git URL that is an option is refused" 400 INVALID_PARAMETER_VALUE

# Bad archives: refused whole, nothing left behind.
python3 - "$T" <<'PY'
import io, sys, tarfile, zipfile
t = sys.argv[1]
with zipfile.ZipFile(f"{t}/dotdot.zip", "w") as z:
    z.writestr("ok.txt", "fine")
    z.writestr("../../escape.txt", "bad")
with zipfile.ZipFile(f"{t}/abs.zip", "w") as z:
    z.writestr("/tmp/abs-escape.txt", "bad")
def tar(name, members):
    with tarfile.open(f"{t}/{name}", "w") as tf:
        for m, data in members:
            tf.addfile(m, io.BytesIO(data) if data is not None else None)
link = tarfile.TarInfo("passwd"); link.type = tarfile.SYMTYPE
link.linkname = "/etc/passwd"
tar("abslink.tar", [(link, None)])
up = tarfile.TarInfo("sub/up"); up.type = tarfile.SYMTYPE
up.linkname = "../../outside"
tar("uplink.tar", [(up, None)])
dev = tarfile.TarInfo("null"); dev.type = tarfile.CHRTYPE
dev.devmajor, dev.devminor = 1, 3
tar("device.tar", [(dev, None)])
PY
head -c 300 /dev/urandom >"$T/notarchive.bin"
for case in "dotdot.zip:..:a zip with ../ entries" \
    "abs.zip:absolute:a zip with an absolute path" \
    "abslink.tar:passwd:a tar with a link to /etc/passwd" \
    "uplink.tar:outside:a tar with a link out of the project" \
    "device.tar:device:a tar with a device file" \
    "notarchive.bin:archive:a file that is no archive"; do
	file=${case%%:*}
	rest=${case#*:}
	part=${rest%%:*}
	what=${rest#*:}
	create "{\"name\": \"bad-${file%%.*}\", \"source\": {\"type\": \"archive\", \"location\": \"$T/$file\"}}"
	expect "$what is refused" 400 INVALID_PARAMETER_VALUE "$part"
	api GET "/api/v1/projects/bad-${file%%.*}"
	expect "$what leaves no project" 404
done
check "nothing escaped the project" \
    sh -c "test ! -e '$T/escape.txt' && test ! -e /tmp/abs-escape.txt"
check "no import directory is left behind" \
    sh -c "! ls -a '$LATHE_STATE_DIR/projects' | grep -q '^\.import-'"

# Bad creation requests.
create '{"name": "blank1"}'
expect "a taken name is refused" 400 RESOURCE_ALREADY_EXISTS "already exists"
create '{"name": "BLANK1"}'
expect "names are unique whatever their case" 400 RESOURCE_ALREADY_EXISTS
create '{"name": "has space"}'
expect "a name with a space is refused" 400 INVALID_PARAMETER_VALUE "' '"
create '{"name": "42"}'
expect "an all-digit name is refused" 400 INVALID_PARAMETER_VALUE "digits"
create '{"name": "caf\u00e9"}'
expect "a non-ASCII name is refused" 400 INVALID_PARAMETER_VALUE "ASCII"
create '{"name": "x\u001b[2J"}'
expect "a control character in a name is refused" 400 \
    INVALID_PARAMETER_VALUE "control character"
create '{"description": "no name"}'
expect "a missing name is refused" 400 INVALID_PARAMETER_VALUE \
    "missing required field 'name'"
create '{"name": 7}'
expect "a name of the wrong type is refused" 400 INVALID_PARAMETER_VALUE \
    "must be a string"
create '{"name": "typo", "descripton": "x"}'
expect "an unknown field is refused" 400 INVALID_PARAMETER_VALUE \
    "unknown field 'descripton'"
create '{"name": "x1", "source": {"type": "svn", "location": "x"}}'
expect "an unknown source type is refused" 400 INVALID_PARAMETER_VALUE \
    "unknown source type"
create '{"name": "x2", "source": {"type": "dir", "location": "relative/path"}}'
expect "a relative directory is refused" 400 INVALID_PARAMETER_VALUE \
    "absolute path"
create "{\"name\": \"x3\", \"source\": {\"type\": \"dir\", \"location\": \"$T/missing\"}}"
expect "a missing directory is refused" 400 INVALID_PARAMETER_VALUE \
    "No such file"
create "{\"name\": \"x4\", \"source\": {\"type\": \"dir\", \"location\": \"$LATHE_STATE_DIR\"}}"
expect "the state directory cannot be adopted" 400 INVALID_PARAMETER_VALUE \
    "lathe's own state"
create '{"name": "x5", "source": {"type": "template", "location": "nope"}}'
expect "an unknown template is refused" 400 INVALID_PARAMETER_VALUE \
    "no template 'nope'"

# Listing, paging and searching.
i=0
while [ $i -lt 12 ]; do
	create "{\"name\": \"page-$(printf %02d $i)\"}" >/dev/null
	i=$((i + 1))
done
api GET '/api/v1/projects?page_size=5&search=page-'
expect "projects are listed" 200
is "a page holds page_size projects" "$(field projects.4.name)" page-04
TOKEN=$(field next_page_token)
api GET "/api/v1/projects?page_size=5&search=page-&page_token=$TOKEN"
is "the next page follows on" "$(field projects.0.name)" page-05
TOKEN=$(field next_page_token)
api GET "/api/v1/projects?page_size=5&search=page-&page_token=$TOKEN"
is "the last page has the rest" "$(field projects.1.name)" page-11
is "the last page has no token" "$(field next_page_token)" null
api GET '/api/v1/projects?page_size=0'
expect "page_size 0 is refused" 400 INVALID_PARAMETER_VALUE page_size
api GET '/api/v1/projects?page_size=5000'
expect "page_size over the maximum is refused" 400 INVALID_PARAMETER_VALUE
api GET '/api/v1/projects?page_token=%%%'
expect "a malformed page token is refused" 400 INVALID_PARAMETER_VALUE \
    page_token

# Show and update.
api GET /api/v1/projects/example
expect "a project is shown by name" 200
ID=$(field id)
api GET "/api/v1/projects/$ID"
is "and by id" "$(field name)" example
api GET /api/v1/projects/nope
expect "an unknown project is 404" 404 RESOURCE_DOES_NOT_EXIST \
    "no project named 'nope'"
api GET /api/v1/projects/a%2Fb
expect "an escaped slash stays inside its segment" 404 \
    RESOURCE_DOES_NOT_EXIST "no project named 'a/b'"
api GET /api/v1/projects/a%00b
expect "an escaped NUL in a path matches nothing" 404 ENDPOINT_NOT_FOUND
api PATCH /api/v1/projects/example '{"description": "Churn model", "default_runtime": "python3.11"}'
expect "a project is updated" 200
is "the description changed" "$(field description)" "Churn model"
is "the runtime changed" "$(field default_runtime)" python3.11
api PATCH /api/v1/projects/example '{"name": "blank1"}'
expect "a rename onto a taken name is refused" 400 RESOURCE_ALREADY_EXISTS
api PATCH /api/v1/projects/example '{"name": "churn"}'
expect "a project is renamed" 200
api GET /api/v1/projects/churn
is "the renamed project keeps its id" "$(field id)" "$ID"

# Environment variables.
api PUT /api/v1/projects/churn/env/DB_URL '{"value": "postgres://db/x"}'
expect "a variable is set" 200
api PUT /api/v1/projects/churn/env/DB_PASSWORD '{"value": "hunter2", "secret": true}'
expect "a secret variable is set" 200
is "a secret's value is not echoed" "$(field value)" null
api PUT /api/v1/projects/churn/env/DB_PASSWORD '{"value": "hunter3"}'
expect "a secret is updated" 200
api GET /api/v1/projects/churn/env
expect "variables are listed" 200
is "the first variable" "$(field env.1.value)" postgres://db/x
is "a secret stays secret when updated" "$(field env.0.secret)" true
check "a secret's value is never listed" \
    sh -c "! grep -q hunter '$T/body'"
api PUT /api/v1/projects/churn/env/1BAD '{"value": "x"}'
expect "a bad variable name is refused" 400 INVALID_PARAMETER_VALUE
api PUT /api/v1/projects/churn/env/LATHE_PROJECT '{"value": "x"}'
expect "lathe's own variables are refused" 400 INVALID_PARAMETER_VALUE LATHE_
api PUT /api/v1/projects/churn/env/X '{}'
expect "a variable needs a value" 400 INVALID_PARAMETER_VALUE value
api DELETE /api/v1/projects/churn/env/DB_URL
expect "a variable is unset" 200
api DELETE /api/v1/projects/churn/env/DB_URL
expect "unsetting an unknown variable is 404" 404 RESOURCE_DOES_NOT_EXIST

# Files.
mkdir -p "$src/deep/er"
ln -s ../outside "$src/out-link"
ln -s "$T/outside/secret.txt" "$src/secret-link"
ln -s main.py "$src/in-link"
printf 'abc\000def' >"$src/blob.bin"
python3 -c 'print("é" * 700000)' >"$src/big.txt"
api GET /api/v1/projects/adopted/files
expect "the root is listed" 200
is "entries are in name order" "$(field files.0.name)" big.txt
api GET '/api/v1/projects/adopted/files?path=data'
is "a subdirectory is listed" "$(field files.0.path)" data/x.csv
is "sizes are given" "$(field files.0.size)" 8
api GET '/api/v1/projects/adopted/files?page_size=2'
TOKEN=$(field next_page_token)
api GET "/api/v1/projects/adopted/files?page_size=2&page_token=$TOKEN"
is "file listings page" "$(field files.1.name)" deep
api GET '/api/v1/projects/adopted/files?path=../outside'
expect "'..' is refused" 400 INVALID_PARAMETER_VALUE ".."
api GET '/api/v1/projects/adopted/files?path=/etc'
expect "an absolute path is refused" 400 INVALID_PARAMETER_VALUE
api GET '/api/v1/projects/adopted/files?path=out-link'
expect "a link out of the project is refused" 400 INVALID_PARAMETER_VALUE \
    outside
api GET '/api/v1/projects/adopted/files?path=nope'
expect "a missing directory is 404" 404 RESOURCE_DOES_NOT_EXIST
api GET '/api/v1/projects/adopted/files/content?path=main.py'
expect "a file is read" 200
is "its content" "$(field content)" 'print("hi")'
is "it is text" "$(field binary)" false
api GET '/api/v1/projects/adopted/files/content?path=in-link'
expect "a link inside the project is followed" 200
api GET '/api/v1/projects/adopted/files/content?path=secret-link'
expect "a link to a file outside is refused" 400 INVALID_PARAMETER_VALUE
api GET '/api/v1/projects/adopted/files/content?path=blob.bin'
is "a binary file is told apart" "$(field binary)" true
is "and sent as base64" "$(field content)" "$(printf 'abc\000def' | base64)"
api GET '/api/v1/projects/adopted/files/content?path=big.txt&length=1001'
is "a read is bounded" "$(field truncated)" true
is "a read never cuts a UTF-8 character" "$(field length)" 1000
api GET '/api/v1/projects/adopted/files/content?path=big.txt&offset=1000&length=10'
is "a read starts at its offset" "$(field content)" "ééééé"
api GET '/api/v1/projects/adopted/files/content?path=big.txt&length=99999999'
expect "an oversized read is refused" 400 INVALID_PARAMETER_VALUE length
api GET '/api/v1/projects/adopted/files/content?path=data'
expect "reading a directory is refused" 400 INVALID_PARAMETER_VALUE
api GET '/api/v1/projects/adopted/files/content'
expect "a read needs a path" 400 INVALID_PARAMETER_VALUE path
api GET '/api/v1/projects/adopted/files/content?path=main.py%00.txt'
expect "an escaped NUL in a path is no file" 404 RESOURCE_DOES_NOT_EXIST
api GET '/api/v1/projects/adopted/files/content?path=data%2Fx.csv'
expect "an escaped path argument is decoded" 200

# Deletion.
api DELETE /api/v1/projects/copied
expect "a project is deleted" 200
api GET /api/v1/projects/copied
expect "a deleted project is gone" 404
n=0
while [ -e "$COPY_PATH" ] && [ $n -lt 100 ]; do
	sleep 0.05
	n=$((n + 1))
done
check "a deleted project's files are removed" test ! -e "$COPY_PATH"
api DELETE /api/v1/projects/adopted
expect "an adopted project is deleted" 200
check "an adopted project's files are left in place" test -f "$src/main.py"
api DELETE /api/v1/projects/adopted
expect "deleting twice is 404" 404 RESOURCE_DOES_NOT_EXIST

# Everything survives a restart.
stop_core
start_core || not_ok "lathed restarts"
api GET /api/v1/projects/churn/env
is "variables survive a restart" "$(field env.0.name)" DB_PASSWORD
api GET /api/v1/projects/cloned
expect "projects survive a restart" 200

done_testing

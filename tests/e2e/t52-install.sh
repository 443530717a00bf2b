#!/bin/sh
# install.sh --hook / --uninstall-hook: honours core.hooksPath, keeps an
# existing team pre-push hook running first (with the same stdin) and
# blocking when it fails, is idempotent, restores the old hook byte for
# byte; the installed hook finds the binary through the substituted path,
# and says how to install or bypass when it cannot find it.  Then a real
# install (install.sh --prefix after make) moved elsewhere: the binary and
# `git escape-review` find their templates next to themselves, `--hook`
# without --prefix records the absolute path of the binary on PATH, and
# the manual is found for `man escape-review` and `git escape-review --help`
# (and passes mandoc's or groff's lint, whichever is installed).
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/bin"
ln -s "$ER_BIN" "$TMP/bin/escape-review"
git init -q --bare "$TMP/remote.git"
sh "$ER_SRC/examples/make-campus-repo.sh" "$TMP/w" >/dev/null
cd "$TMP/w" || exit 1
git remote add origin "$TMP/remote.git"
git checkout -q -B main c1
inst() { sh "$ER_SRC/install.sh" "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; }
push() { git push "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; }
# a directory's names, modes, owners, sizes and contents (no times: making
# and removing a temp file changes the directory's)
snapshot() { (cd "$1" && ls -la . | sed 1d | awk '{ print $1, $3, $4, $5, $NF }' && cat ./* 2>/dev/null) | cksum; }

# a team hook under core.hooksPath: it records that it ran and what it read
mkdir -p .githooks
echo /.githooks/ >>.git/info/exclude
git config core.hooksPath .githooks
cat >.githooks/pre-push <<SH
#!/bin/sh
echo "team \$1" >>"$TMP/team-ran"
cat >"$TMP/team-stdin"
[ ! -e "$TMP/team-fails" ]
SH
chmod 755 .githooks/pre-push
cp -p .githooks/pre-push "$TMP/team-hook.orig"
before=$(snapshot .githooks)

inst --prefix "$TMP/empty" --hook .
expect_rc "--hook" 0
expect_grep "--hook: kept the team hook" "kept the existing pre-push hook as .*/.githooks/pre-push.local (it runs first)" "$TMP/out"
cmp -s .githooks/pre-push.local "$TMP/team-hook.orig" && ok "the team hook is pre-push.local, unchanged" || bad "the team hook is pre-push.local, unchanged"
expect_grep "the hook is escape-review's" "^# escape-review pre-push hook (managed by escape-review's install.sh --hook)$" .githooks/pre-push
[ ! -e .git/hooks/pre-push ] && ok "nothing in .git/hooks" || bad "nothing in .git/hooks"
once=$(snapshot .githooks)
inst --prefix "$TMP/empty" --hook .
expect_rc "--hook again" 0
expect_grep "--hook again: already installed" "already installed" "$TMP/out"
expect_eq "--hook twice changes nothing" "$(snapshot .githooks)" "$once"

# a push runs the team hook first, with the same stdin, then the review
PATH="$TMP/bin:$PATH" push origin main
expect_rc "push with both hooks" 0
expect_eq "the team hook ran once" "$(cat "$TMP/team-ran")" "team origin"
expect_eq "the team hook read git's line" "$(cat "$TMP/team-stdin")" \
	"refs/heads/main $(git rev-parse main) refs/heads/main 0000000000000000000000000000000000000000"
expect_grep "the review ran after it" "(nothing of it is on the remote yet: reviewing the whole tree)" "$TMP/err"

# a failing team hook blocks, and the review does not run
touch "$TMP/team-fails"
git checkout -q -b feature-ok main
echo "# campus" >README.md
git add README.md && git commit -q -m "docs"
PATH="$TMP/bin:$PATH" push origin feature-ok
expect_eq "a failing team hook blocks" "$([ "$rc" != 0 ] && echo blocked)" "blocked"
expect_no_grep "the review did not run" "^escape-review:" "$TMP/err"
git --git-dir="$TMP/remote.git" rev-parse -q --verify refs/heads/feature-ok >/dev/null &&
	bad "feature-ok stayed off the remote" || ok "feature-ok stayed off the remote"
rm "$TMP/team-fails"

# the review still blocks with the team hook passing
git checkout -q -b feature c2
PATH="$TMP/bin:$PATH" push origin feature
expect_rc "escapes block behind a passing team hook" 1
expect_grep "blocked: names score.go:27" "^campus/score.go:27:2: \[ER010 warning\]" "$TMP/err"

# no escape-review anywhere: a clear message, and the push is blocked
PATH="/usr/bin:/bin" push origin feature
expect_eq "a missing tool blocks" "$([ "$rc" != 0 ] && echo blocked)" "blocked"
expect_grep "missing tool: says so" "escape-review: the pre-push hook cannot find escape-review (not on PATH, not installed here)." "$TMP/err"
expect_grep "missing tool: how to bypass" "ESCAPE_REVIEW_SKIP=1 git push   (or: git push --no-verify)" "$TMP/err"

# --uninstall-hook restores the team hook byte for byte
inst --uninstall-hook .
expect_rc "--uninstall-hook" 0
expect_grep "--uninstall-hook: restored" "restored the previous pre-push hook" "$TMP/out"
cmp -s .githooks/pre-push "$TMP/team-hook.orig" && ok "the team hook is back, byte for byte" || bad "the team hook is back, byte for byte"
expect_eq "--uninstall-hook restores the directory" "$(snapshot .githooks)" "$before"
inst --uninstall-hook .
expect_grep "--uninstall-hook again: nothing to do" "no escape-review pre-push hook in" "$TMP/out"
expect_eq "--uninstall-hook twice changes nothing" "$(snapshot .githooks)" "$before"

# no hooksPath, no previous hook, a prefix with a quote and a space:
# the hook runs the installed binary by its absolute path
git config --unset core.hooksPath
prefix="$TMP/it's here"
mkdir -p "$prefix/bin"
ln -s "$ER_BIN" "$prefix/bin/escape-review"
inst --prefix "$prefix" --hook "$TMP/w"
expect_rc "--hook into .git/hooks" 0
[ -x .git/hooks/pre-push ] && ok "installed into .git/hooks" || bad "installed into .git/hooks"
PATH="/usr/bin:/bin:$(dirname "$(command -v go)")" push origin feature
expect_rc "the substituted path is used" 1
expect_grep "the substituted path ran the review" "^campus/score.go:27:2: \[ER010 warning\]" "$TMP/err"
inst --uninstall-hook "$TMP/w"
[ ! -e .git/hooks/pre-push ] && ok "uninstalled from .git/hooks" || bad "uninstalled from .git/hooks"
inst --hook "$TMP/nowhere"
expect_rc "--hook outside a repository" 2
expect_eq "--hook outside a repository: the message" "$(cat "$TMP/err")" "install.sh: $TMP/nowhere is not a git repository"

# --- make before the dependencies: the link choice is made again after ---
# (pkg-config that finds nothing stands for a machine before
# ./install.sh --deps; the build's own link.mk says what this one has)
PKG_CONFIG_LIBDIR="$TMP/nowhere" PKG_CONFIG_PATH= make -s --no-print-directory -C "$ER_SRC" BUILD="$TMP/lk" "$TMP/lk/link.mk" >"$TMP/out" 2>"$TMP/err"
expect_grep "make without the libraries: names them and what to do" \
	"pkg-config finds no libgit2 libcurl libcjson: install the dependencies first (./install.sh --deps, as root) or set PKG_CONFIG_PATH" "$TMP/err"
expect_grep "make without the libraries: libgit2 linked shared" "^LIBGIT2_HOW := shared$" "$TMP/lk/link.mk"
make -s --no-print-directory -C "$ER_SRC" BUILD="$TMP/lk" "$TMP/lk/link.mk" >"$TMP/out" 2>"$TMP/err"
expect_eq "make after the libraries: the choice is made again" "$(cat "$TMP/out")" "libgit2: linked $(sed -n 's/^LIBGIT2_HOW := //p' "$(dirname "$ER_BIN")/link.mk")"
expect_eq "make after the libraries: the same choice as the build's" "$(grep -v '^#' "$TMP/lk/link.mk")" "$(grep -v '^#' "$(dirname "$ER_BIN")/link.mk")"
make -s --no-print-directory -C "$ER_SRC" BUILD="$TMP/lk" "$TMP/lk/link.mk" >"$TMP/out" 2>"$TMP/err"
expect_eq "make again: the choice is kept" "$(cat "$TMP/out" "$TMP/err")" ""

# --- a real install after make, then moved ---
# install.sh builds with make (nothing to do: $ER_BIN's build directory is
# up to date) and installs into the prefix; the binary was built for /usr/local
GODIR=$(dirname "$(command -v go)")
BUILD=$(cd "$(dirname "$ER_BIN")" && pwd) inst --prefix "$TMP/inst"
expect_rc "install.sh --prefix after make" 0
expect_grep "install.sh --prefix: says where" "installed $TMP/inst/bin/escape-review" "$TMP/out"
for f in bin/escape-review share/escape-review/templates/summary.md.mustache \
	share/escape-review/hooks/pre-push share/man/man1/escape-review.1; do
	[ -f "$TMP/inst/$f" ] && ok "installed $f" || bad "installed $f"
done
[ "$(readlink "$TMP/inst/bin/git-escape-review")" = escape-review ] &&
	ok "bin/git-escape-review links to escape-review" || bad "bin/git-escape-review links to escape-review"
[ "$(readlink "$TMP/inst/share/man/man1/git-escape-review.1")" = escape-review.1 ] &&
	ok "man1/git-escape-review.1 links to escape-review.1" || bad "man1/git-escape-review.1 links to escape-review.1"
cmp -s "$TMP/inst/share/man/man1/escape-review.1" "$ER_SRC/docs/escape-review.1" &&
	ok "the installed manual is docs/escape-review.1" || bad "the installed manual is docs/escape-review.1"
mv "$TMP/inst" "$TMP/moved"
M=$TMP/moved
git checkout -q feature

# the moved binary's markdown is the source tree's templates' markdown
"$ER_BIN" --base c1 --format markdown >"$TMP/md.src" 2>"$TMP/err"
"$M/bin/escape-review" --base c1 --format markdown >"$TMP/out" 2>"$TMP/err"; rc=$?
expect_rc "moved install: --format markdown" 0
[ -s "$TMP/out" ] && cmp -s "$TMP/out" "$TMP/md.src" && ok "moved install: the same summary as from the source tree" ||
	bad "moved install: the same summary as from the source tree"
expect_grep "moved install: the summary names moved to heap: s" "moved to heap" "$TMP/out"
# and the templates it read are the moved prefix's own
printf 'moved copy: {{tool.name}}, mode {{mode}}\n' >"$M/share/escape-review/templates/status.txt.mustache"
"$M/bin/escape-review" --base c1 --format status >"$TMP/out" 2>"$TMP/err"; rc=$?
expect_out "moved install: templates from MOVED/share/escape-review" "moved copy: escape-review, mode new"
PATH="$M/bin:$PATH" git escape-review --base c1 --format status >"$TMP/out" 2>"$TMP/err"; rc=$?
expect_out "git escape-review (through the link): the same templates" "moved copy: escape-review, mode new"
# a moved install without its templates names where it looked last
mv "$M/share/escape-review/templates" "$M/share/escape-review/templates.away"
"$M/bin/escape-review" --base c1 --format status >"$TMP/out" 2>"$TMP/err"; rc=$?
expect_eq "moved install without templates: exit 2" "$rc" 2
expect_grep "moved install without templates: the compiled-in fallback is named" \
	"(template directory /usr/local/share/escape-review/templates)" "$TMP/err"
mv "$M/share/escape-review/templates.away" "$M/share/escape-review/templates"

# --hook run apart from the install records the binary it finds on PATH
PATH="$M/bin:$PATH" inst --hook "$TMP/w"
expect_rc "--hook without --prefix" 0
expect_grep "--hook without --prefix: says which binary" \
	"the hook runs escape-review from PATH, else $M/bin/escape-review" "$TMP/out"
expect_grep "--hook without --prefix: the absolute path is in the hook" \
	"^ER_FALLBACK='$M/bin/escape-review'$" .git/hooks/pre-push
# (TMP/bin is the hook's ../../../bin: out of the way, only the record can work)
mv "$TMP/bin" "$TMP/bin.away"
PATH="/usr/bin:/bin:$GODIR" push origin feature
expect_rc "the recorded binary runs the review when PATH has none" 1
expect_grep "the recorded binary ran the review" "^campus/score.go:27:2: \[ER010 warning\]" "$TMP/err"
mv "$TMP/bin.away" "$TMP/bin"
inst --uninstall-hook "$TMP/w"

# the manual: found through PATH (man-db looks in BIN/../share/man), and
# `git escape-review --help` shows it
if command -v man >/dev/null 2>&1; then
	(unset MANPATH; PATH="$M/bin:$PATH" man -w escape-review) >"$TMP/out" 2>"$TMP/err"
	expect_out "man escape-review finds the moved manual" "$M/share/man/man1/escape-review.1"
	(unset MANPATH; PATH="$M/bin:$PATH" MANPAGER=cat MANWIDTH=80 git escape-review --help) \
		>"$TMP/out" 2>"$TMP/err"
	expect_grep "git escape-review --help shows the manual" "git-escape-review  *-  *review  *the  *heap" "$TMP/out"
	expect_grep "git escape-review --help: the hook pre-commit command is in it" "hook pre-commit" "$TMP/out"
else
	echo "  (man is not installed: man escape-review and git escape-review --help are not checked)"
fi
linted=0
if command -v mandoc >/dev/null 2>&1; then
	mandoc -T lint "$ER_SRC/docs/escape-review.1" >"$TMP/out" 2>&1; rc=$?
	expect_eq "mandoc -T lint docs/escape-review.1: clean" "$rc $(cat "$TMP/out")" "0 "
	linted=1
fi
if command -v groff >/dev/null 2>&1; then
	groff -man -Tutf8 -ww -z "$ER_SRC/docs/escape-review.1" >"$TMP/out" 2>&1; rc=$?
	expect_eq "groff -man -ww docs/escape-review.1: no warning" "$rc $(cat "$TMP/out")" "0 "
	linted=1
fi
[ "$linted" = 1 ] || echo "  (neither mandoc nor groff is installed: the manual is not linted)"

finish

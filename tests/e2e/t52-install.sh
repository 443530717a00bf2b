#!/bin/sh
# install.sh --hook / --uninstall-hook: honours core.hooksPath, keeps an
# existing team pre-push hook running first (with the same stdin) and
# blocking when it fails, is idempotent, restores the old hook byte for
# byte; the installed hook finds the binary through the substituted path,
# and says how to install or bypass when it cannot find it.
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
snapshot() { (cd "$1" && ls -la --time-style=+ . | sed 1d && cat ./* 2>/dev/null) | cksum; }

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

finish

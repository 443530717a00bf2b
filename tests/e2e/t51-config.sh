#!/bin/sh
# .escape-review.json: errors are one exact line with exit 2 (unknown key,
# wrong type, not JSON, too large); values apply to the review (fail_on,
# rules, exclude, max_flow) and the command line overrides them;
# `escape-review config` shows each value's source, as text and JSON.
. "$(dirname "$0")/lib.sh"

sh "$ER_SRC/examples/make-campus-repo.sh" "$TMP/w" >/dev/null
cd "$TMP/w" || exit 1
git checkout -q c2
cfg=$TMP/w/.escape-review.json

# config errors: one line naming the file and the key, exit 2, no go
go_counter
echo '{"hook": {"fail_on": "sometimes"}}' >"$cfg"
er --base c1
expect_rc "wrong value" 2
expect_eq "wrong value: the message" "$(cat "$TMP/err")" 'escape-review: .escape-review.json: key "hook.fail_on": expected one of none|info|warning|error, got "sometimes"'
echo '{"fail_on": "error", "colour": "always"}' >"$cfg"
er --base c1
expect_rc "unknown key" 2
expect_eq "unknown key: the message" "$(cat "$TMP/err")" 'escape-review: .escape-review.json: key "colour": unknown key; known keys are fail_on, hook, mode, scope, exclude, build_flags, gcflags, max_flow, rules, template_dir, github, gitlab, profile'
echo '{"max_flow": "12"}' >"$cfg"
er --base c1
expect_rc "wrong type" 2
expect_eq "wrong type: the message" "$(cat "$TMP/err")" 'escape-review: .escape-review.json: key "max_flow": expected a whole number from 0 to 100000, got "12"'
printf '{\n  "fail_on": "warning",\n  "exclude": [vendor]\n}\n' >"$cfg"
er --base c1
expect_rc "not JSON" 2
expect_eq "not JSON: the message" "$(cat "$TMP/err")" 'escape-review: .escape-review.json: not valid JSON: parsing stopped at line 3, column 15'
mkdir -p sub
( cd sub && "$ER_BIN" --base c1 >"$TMP/out" 2>"$TMP/err" ); rc=$?
expect_rc "from a subdirectory: the root's file" 2
expect_grep "from a subdirectory: named" "^escape-review: .escape-review.json: not valid JSON" "$TMP/err"
head -c 1048577 /dev/zero | tr '\0' ' ' >"$cfg"
er --base c1
expect_rc "too large" 2
expect_eq "too large: the message" "$(cat "$TMP/err")" 'escape-review: .escape-review.json: larger than 1048576 bytes; is it the right file?'
er hook pre-push origin url </dev/null
expect_rc "the hook blocks on a config error" 2
expect_eq "config errors started no go" "$(go_calls)" 0

# values apply, the command line wins
echo '{"fail_on": "warning"}' >"$cfg"
er --base c1
expect_rc "fail_on from the file" 1
er --base c1 --fail-on none
expect_rc "--fail-on overrides the file" 0
echo '{"fail_on": "warning", "rules": {"ER010": "off", "ER012": "off", "ER001": "info"}}' >"$cfg"
er --base c1 --format json
expect_rc "rules: nothing at warning left" 0
expect_eq "rules: ER010 off, ER001 info" "$(json_get "$TMP/out" '" ".join("%s:%d:%s:%s" % (f["file"], f["line"], f["rule"], f["severity"]) for f in d["findings"])')" \
	"campus/score.go:14:ER035:info campus/score.go:39:ER001:info"
echo '{"exclude": ["score.go"], "fail_on": "info"}' >"$cfg"
er --base c1 --format json
expect_rc "exclude: no findings left" 0
expect_eq "exclude: findings dropped" "$(json_get "$TMP/out" 'len(d["findings"])')" 0
echo '{"max_flow": 1, "mode": "added"}' >"$cfg"
er --base c1 --format json
expect_eq "mode and max_flow from the file" "$(json_get "$TMP/out" 'd["mode"] + " " + " ".join(str(len(f["flow"])) for f in d["findings"])')" "added 1 1"
er --base c1 --format json --max-flow 0 --mode all
expect_eq "--mode and --max-flow override" "$(json_get "$TMP/out" 'd["mode"] + " " + str(len(d["findings"][0]["flow"]))')" "all 2"

# acknowledgements in a plain review: listed, not counted
sed -i '27s|$| //escape:ok returned to the caller|; 39s|$| //escape:ok ER001 logged once|; 20s|$| //escape:ok|' campus/score.go
echo '{"fail_on": "warning"}' >"$cfg"
er --base c1 --worktree --format json
expect_eq "ack: statuses" "$(json_get "$TMP/out" '" ".join("%d:%s" % (f["line"], f["status"]) for f in d["findings"])')" \
	"14:new 20:new 27:acknowledged 39:acknowledged"
expect_eq "ack: reasons" "$(json_get "$TMP/out" '"|".join(f.get("acknowledged_reason", "-") for f in d["findings"])')" \
	"-|-|returned to the caller|logged once"
expect_eq "ack: the reason-less marker is named" "$(cat "$TMP/err")" \
	"escape-review: campus/score.go:20: //escape:ok needs a reason (//escape:ok <why this allocation is fine>); without one it acknowledges nothing"
expect_rc "ack: the unacknowledged warning still fails" 1
git checkout -q campus/score.go

# escape-review config: values and their sources
cat >"$cfg" <<'JSON'
{
  "$schema": "https://example.com/escape-review.schema.json",
  "fail_on": "warning",
  "hook": {"on_error": "block"},
  "exclude": ["vendor", "*_gen.go"],
  "rules": {"ER010": "off"}
}
JSON
er config --max-flow 4
expect_rc "config" 0
expect_out "config: text" "# configuration file: $cfg
fail_on         warning                  ($cfg)
hook.fail_on    warning                  (default)
hook.on_error   block                    ($cfg)
mode            default                  (default)
scope           dependents               (default)
exclude         vendor *_gen.go          ($cfg)
build_flags     -                        (default)
gcflags         -                        (default)
max_flow        4                        (command line)
rules           ER010=off                ($cfg)
template_dir    -                        (default)
github.api_url  -                        (default)
gitlab.api_url  -                        (default)
profile.hot_share 1%                       (default)"
er config --format json --fail-on error
expect_eq "config: JSON file" "$(json_get "$TMP/out" 'd["file"]')" "$cfg"
expect_eq "config: JSON sources" "$(json_get "$TMP/out" '" ".join("%s=%s@%s" % (k, v["value"], v["source"]) for k, v in d["settings"].items() if k in ("fail_on", "hook.fail_on", "exclude", "max_flow"))')" \
	"fail_on=error@command line hook.fail_on=warning@default exclude=['vendor', '*_gen.go']@$cfg max_flow=12@default"
er config --fail-on sometimes
expect_rc "config: bad override" 2
expect_eq "config: bad override message" "$(cat "$TMP/err")" "escape-review: unknown --fail-on 'sometimes' (none|info|warning|error)"
cp "$ER_SRC/config/escape-review.json" "$cfg"
er config
expect_rc "the shipped default configuration is valid" 0
expect_grep "the shipped default: hook.fail_on" "^hook.fail_on    warning                  ($cfg)$" "$TMP/out"
rm "$cfg"
er config --format json
expect_eq "config: no file" "$(json_get "$TMP/out" 'str(d["file"]) + " " + d["settings"]["fail_on"]["source"]')" "None default"
cd "$TMP" && er config
expect_rc "config outside a repository" 0
expect_grep "config outside a repository: defaults" "^fail_on         error                    (default)$" "$TMP/out"

finish

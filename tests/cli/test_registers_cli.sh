#!/usr/bin/env bash
# test_registers_cli.sh BIN_DIR CERT_DIR - the front-desk registers through the
# desk CLI against a real deskd (E1-E5, E7): a visitor in with flags and one
# prompted field by field from a pipe (E2, timed), refused without the
# owner's consent and let in under a standing permission (E3), out, who is
# inside, the month's report; a release pass approved by the supervisor only
# and used once (E1); keys out and in, out twice refused, a count with a key
# missing (E4); a parking permit and its renewal (E5); a message note
# through the generic `desk register`; --json from the same descriptors.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

# E6: the archive key seals the visitors' ID numbers.
make_archive_key
start_deskd --archive-key "$tmp/archive.key"
add_users clerk:wang supervisor:sue engineer:gong

# E2, E3: with flags; no consent is refused, and nothing is recorded.
expect_rc 1 as wang "$desk" visitor in --name 张三 --id-type 身份证 \
  --id-number 110101199001011234 --unit 3-1201 --purpose 送货
grep -q "owner's consent" "$tmp/err" || fail "no consent: $(cat "$tmp/err")"
expect_rc 0 as wang "$desk" visitor in --name 张三 --id-type 身份证 \
  --id-number 110101199001011234 --unit 3-1201 --purpose 送货 --consent present
v1=$(cat "$tmp/out")
[[ "$v1" =~ ^[0-9]+$ ]] || fail "visitor in: no id: $v1"
expect_rc 0 as wang "$desk" visitor show "$v1"
grep -Eq "^id number +110\*+1234$" "$tmp/out" || fail "show: $(cat "$tmp/out")"
grep -q "110101199001011234" "$tmp/out" && fail "the full ID number was shown"
expect_rc 2 as wang "$desk" visitor in --name x --consent maybe
grep -q "present|phone|standing" "$tmp/err" || fail "bad consent: $(cat "$tmp/err")"

# E3: a standing permission lets the nanny in; a stranger is refused.
expect_rc 0 as wang "$desk" permit-visitor 5-0301 --visitor 保姆王 --owner 陈业主 --until +30d
expect_rc 0 as wang "$desk" visitor in --name 保姆王 --id-type 身份证 \
  --id-number 220101198001012222 --unit 5-0301 --purpose 做饭 --consent standing
v2=$(cat "$tmp/out")
expect_rc 1 as wang "$desk" visitor in --name 陌生人 --id-type 身份证 \
  --id-number 330101198001013333 --unit 5-0301 --purpose 推销 --consent standing
grep -q "no standing permission for 陌生人 at 5-0301" "$tmp/err" || fail "stranger: $(cat "$tmp/err")"

# E2: prompted field by field (from a pipe here), the time goes with it.
printf '李四\n护照\nE12345678\n3-1202\n维修\nphone\n李业主\n\n' |
  as wang "$desk" visitor in --prompt >"$tmp/out" 2>"$tmp/err" || fail "prompt: $(cat "$tmp/err")"
v3=$(cat "$tmp/out")
[[ "$v3" =~ ^[0-9]+$ ]] || fail "prompt: no id: $v3 $(cat "$tmp/err")"
grep -q "consent (present|phone|standing): " "$tmp/err" || fail "prompts: $(cat "$tmp/err")"
expect_rc 0 as wang "$desk" --json visitor show "$v3"
grep -q '"kind":"visitor"' "$tmp/out" && grep -q '"consent":"CONSENT_PHONE"' "$tmp/out" &&
  grep -Eq '"reg_seconds":[1-9]' "$tmp/out" || fail "json: $(cat "$tmp/out")"
grep -q "id_number_sealed" "$tmp/out" && grep -q '"id_number_sealed":"[^"]' "$tmp/out" &&
  fail "sealed number sent"

# Out, and who is still inside.
expect_rc 0 as wang "$desk" visitor out "$v1"
expect_rc 1 as wang "$desk" visitor out "$v1"
grep -q "already out" "$tmp/err" || fail "out twice: $(cat "$tmp/err")"
expect_rc 0 as wang "$desk" visitor list --inside
grep -q "张三" "$tmp/out" && fail "--inside lists a visitor who left: $(cat "$tmp/out")"
grep -q "保姆王" "$tmp/out" && grep -q "李四" "$tmp/out" || fail "--inside: $(cat "$tmp/out")"
expect_rc 0 as wang "$desk" visitor report
grep -q "visitor registrations .*: 3, 1 timed, 0 over 60 s (E2)" "$tmp/out" || fail "report: $(cat "$tmp/out")"
expect_rc 0 as wang "$desk" visitor history "$v1"
grep -q "visitor.out" "$tmp/out" || fail "history: $(cat "$tmp/out")"

# E1: a release pass; the clerk cannot approve, the supervisor does; used once.
expect_rc 0 as wang "$desk" pass new --unit 3-1201 --owner 张三 --identity-check "身份证, 与档案相符" \
  --items "沙发一套" --carrier 搬家公司 --vehicle 沪A12345
p1=$(cat "$tmp/out")
expect_rc 1 as wang "$desk" pass use "$p1"
expect_rc 4 as wang "$desk" pass approve "$p1"
grep -q "duty officer" "$tmp/err" || fail "clerk approve: $(cat "$tmp/err")"
expect_rc 0 as sue "$desk" pass approve "$p1" --note 已盖章
grep -Eq "^approved by +sue$" "$tmp/out" || fail "approve: $(cat "$tmp/out")"
expect_rc 0 as wang "$desk" pass use "$p1" --note 北门
expect_rc 1 as wang "$desk" pass use "$p1"
grep -q "already used" "$tmp/err" || fail "used twice: $(cat "$tmp/err")"

# E4: keys out and in; out twice refused; a count with a key missing.
expect_rc 0 as wang "$desk" key add --tag K-1 --slot A1 --unit 7-0101 --source vacant
k1=$(cat "$tmp/out")
expect_rc 0 as wang "$desk" key add --tag K-2 --slot A2 --unit 7-0102 --source deposited --owner 周业主
expect_rc 2 as wang "$desk" key out "$k1" --to 老李
expect_rc 0 as wang "$desk" key out "$k1" --to 老李 --reason 查漏水
expect_rc 1 as wang "$desk" key out "$k1" --to 小张 --reason 看房
grep -q "key $k1 is already out" "$tmp/err" || fail "out twice: $(cat "$tmp/err")"
expect_rc 0 as wang "$desk" key reconcile --counted K-9
grep -q "^[0-9]*$" "$tmp/out" || fail "reconcile: $(cat "$tmp/out")"
expect_rc 0 as wang "$desk" register key-count show "$(cat "$tmp/out")"
grep -q "key-count .* discrepancy" "$tmp/out" && grep -Eq "^missing +K-2 \(slot A2" "$tmp/out" &&
  grep -Eq "^unexpected +K-9 \(not in the register\)" "$tmp/out" || fail "count: $(cat "$tmp/out")"
expect_rc 0 as wang "$desk" key in "$k1"
expect_rc 0 as wang "$desk" key list
grep -Eq "^$k1 +K-1 +A1 +7-0101 +vacant +in " "$tmp/out" || fail "key list: $(cat "$tmp/out")"

# E5: a permit and its renewal, a new entry.
expect_rc 0 as wang "$desk" parking add --plate 沪B54321 --unit 7-0101 --type monthly \
  --holder 周业主 --valid-to +30d
pk=$(cat "$tmp/out")
expect_rc 0 as wang "$desk" parking renew "$pk" --valid-to +60d
pk2=$(cat "$tmp/out")
[ "$pk2" -gt "$pk" ] || fail "renew: $pk2"
expect_rc 0 as wang "$desk" parking list
grep -Eq "^$pk +沪B54321 .* renewed" "$tmp/out" && grep -Eq "^$pk2 +沪B54321 .* valid +$pk$" "$tmp/out" ||
  fail "parking list: $(cat "$tmp/out")"
# Issue 11, E5: valid to a day is valid the whole of that day.
expect_rc 0 as wang "$desk" parking add --plate 沪F66666 --unit 7-0101 --type monthly \
  --holder 吴业主 --valid-to 2099-12-31
pk3=$(cat "$tmp/out")
expect_rc 0 as wang "$desk" parking show "$pk3"
grep -q "2099-12-31 23:59" "$tmp/out" || fail "valid-to a day is not its end: $(cat "$tmp/out")"

# E7 through the generic command: a message note, delivered then read.
expect_rc 0 as wang "$desk" register note add --unit 2-0202 --recipient 刘先生 --left-by 快递员 \
  --text 包裹放在前台
n1=$(cat "$tmp/out")
expect_rc 0 as wang "$desk" register note deliver "$n1"
expect_rc 0 as wang "$desk" register note read "$n1"
expect_rc 1 as wang "$desk" register note read "$n1"
expect_rc 1 as wang "$desk" register note fly "$n1"
grep -q "actions: deliver, read" "$tmp/err" || fail "bad action: $(cat "$tmp/err")"
expect_rc 0 as wang "$desk" --json register note list
grep -q '"kind":"note","unit":"2-0202"' "$tmp/out" && grep -q '"state":"read"' "$tmp/out" ||
  fail "note json: $(cat "$tmp/out")"
expect_rc 2 as wang "$desk" register spaceship list
expect_rc 0 as wang "$desk" register hotwork add --help
grep -q -- "--fire-watch" "$tmp/out" && grep -q -- "--to  *TIME" "$tmp/out" || fail "help: $(cat "$tmp/out")"
# Engineers have no register access.
expect_rc 4 as gong "$desk" visitor list

stop_deskd
echo "ok"

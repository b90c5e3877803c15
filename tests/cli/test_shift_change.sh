#!/usr/bin/env bash
# test_shift_change.sh BIN_DIR CERT_DIR - a shift change as the desks live it
# (A6, B2-B6, H2): deskd runs 4 s before the next boundary (--now-offset);
# the boundary passes, every desk's watch shows shift.changed with who goes
# off and who comes on; the outgoing person cannot sign with important work
# open (B6) until the supervisor overrides with a reason; items are counted,
# a difference explained (B2); the incoming person signs second (B5), and
# signing twice or before the outgoing side is refused.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

# The default shifts' boundaries in Asia/Shanghai are multiples of 8 h UTC.
eight=$((8 * 3600 * 1000))
now=$(date +%s%3N)
boundary=$(( (now / eight + 1) * eight ))
# deskd's clock only runs ahead: a boundary under two minutes away is
# passed over for the next.
[ $(( boundary - now )) -ge 130000 ] || boundary=$(( boundary + eight ))
# The office is set up two minutes before the boundary; deskd then comes
# back 4 s before it, so a slow machine's setup never runs past it.
flags=(--handover-items computer:1,keys:2)
start_deskd --now-offset "$(( boundary - now - 120000 ))ms" "${flags[@]}"
add_users clerk:mo clerk:eve clerk:nite supervisor:sue

# A published schedule for the months around the boundary (A6).
publish_rota_at sue mo eve nite $((boundary - eight)) "$boundary"
# Open work before the boundary is listed in the handover (B3).
expect_rc 0 as mo "$desk" complaint new --unit 3-2-1201 --name 王女士 --phone 13800000000 \
  --category repair --text "楼上漏水" --demand "尽快维修"

stop_deskd
start_deskd --now-offset "$(( boundary - $(date +%s%3N) - 4000 ))ms" "${flags[@]}"

# The supervisor's watch (watch_as, not `as ... &`: see lib.sh).
watch_as sue --json --type shift. --since 0
wait_for 10 '"type":"shift.changed"'
line=$(grep '"type":"shift.changed"' "$tmp/watch")
out=$(printf '%s' "$line" | sed -n 's/.*"off":"\([a-z]*\)".*/\1/p')
in=$(printf '%s' "$line" | sed -n 's/.*"on":"\([a-z]*\)".*/\1/p')
[ -n "$out" ] && [ -n "$in" ] && [ "$out" != "$in" ] || fail "who goes off, who comes on: $line"

expect_rc 0 as "$in" "$desk" handover show
grep -q "outgoing *$out" "$tmp/out" || fail "show: $(cat "$tmp/out")"
grep -q "complaint:1" "$tmp/out" || fail "no open complaint pending: $(cat "$tmp/out")"
grep -q "keys ?/2" "$tmp/out" || fail "keys not listed: $(cat "$tmp/out")"

# B5: the incoming side is not first; nobody signs another's side.
expect_rc 1 as "$in" "$desk" handover sign
grep -q "outgoing person signs first" "$tmp/err" || fail "$(cat "$tmp/err")"
expect_rc 4 as "$in" "$desk" handover sign out
# B6: important work open blocks the outgoing signature.
expect_rc 0 as "$out" "$desk" handover pending add "3-2-1201 回访未完成" --important
expect_rc 1 as "$out" "$desk" handover sign
grep -q "B6" "$tmp/err" || fail "$(cat "$tmp/err")"
expect_rc 4 as "$out" "$desk" handover override --reason "我说可以"
expect_rc 0 as sue "$desk" handover override --reason "回访交给晚班"
# B2, B4: counts, a difference explained, an anomaly.
expect_rc 1 as "$in" "$desk" handover item keys --count 1
expect_rc 0 as "$in" "$desk" handover item keys --count 1 --note "一把借给工程部"
expect_rc 0 as "$in" "$desk" handover item computer --count 1
expect_rc 0 as "$in" "$desk" handover anomaly --text "大堂灯坏一盏"
expect_rc 0 as "$out" "$desk" handover pending done 2 --note "已交代晚班"
expect_rc 0 as "$out" "$desk" handover sign
expect_rc 1 as "$out" "$desk" handover sign
grep -q "already signed" "$tmp/err" || fail "$(cat "$tmp/err")"
expect_rc 0 as "$in" "$desk" handover sign
expect_rc 0 as "$in" "$desk" handover show --id 1
for want in "closed" "signed out *$out" "signed in *$in" "override (B6) *sue: 回访交给晚班" \
  "keys 1/2  一把借给工程部" "大堂灯坏一盏"; do
  grep -q "$want" "$tmp/out" || fail "show: no '$want' in $(cat "$tmp/out")"
done
echo "ok"

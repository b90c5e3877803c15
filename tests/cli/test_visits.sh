#!/usr/bin/env bash
# test_visits.sh BIN_DIR CERT_DIR - household visits at the desk (issue
# 15: F1, F4): a visit recorded to a household of the archive, its topic by
# code or Chinese name, the visitor by default who records it; a visit to
# a unit not in the archive, a topic not on the list or a time ahead
# refused with nothing stored; a follow-up open until done; the month's
# list drawn once by the supervisor (5 % of the occupied households, never
# visited first), a second draw, a month ahead or malformed refused and
# the first list kept; the plan's done against required, the summary by
# topic with the follow-ups open; the ledger's F1 and F4 lines; visits
# imported once by ref and exported; the next month's list; --json, --help.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

start_deskd
add_users clerk:wang supervisor:sue
watch_as sue --since 0

# F1 counts the archive's households: before the archive has a unit, a
# visit is refused too (other registers are not held to the archive then).
expect_rc 1 as wang "$desk" visit add --unit 1-1-0101 --topic routine
has "no unit '1-1-0101' in the archive: a visit is to a household"

# 41 households, 40 of them occupied or let, one vacant: 5 % of 40 is 2.
{
  echo "ref,code,status"
  for i in $(seq 1 20); do printf 'u-%s,1-1-%02d01,occupied\n' "$i" "$i"; done
  for i in $(seq 1 20); do printf 'v-%s,2-1-%02d01,let\n' "$i" "$i"; done
  echo "w-1,3-1-0101,vacant"
} > "$tmp/units.csv"
expect_rc 0 as sue "$desk" import --kind unit "$tmp/units.csv"
has "imported 41"
month=$(TZ=Asia/Shanghai date +%Y-%m)

expect_rc 0 "$desk" visit --help
has "draw"; has "summary"; has "add"
expect_rc 0 "$desk" visit add --help
has "--unit"; has "--owner-said"; has "--follow-up"; has "opinion"
expect_rc 0 "$desk" visit draw --help
has "at least 5 %$"; hasnt "%%"

# F1: a visit to a household, by the topic's Chinese name; wang visited.
# What the owner said takes a few sentences (600 characters, 1,800 bytes).
said="楼道灯坏了$(printf '%.0s请尽快修理' $(seq 119))"
expect_rc 0 as wang "$desk" visit add --unit 1-1-0101 --topic 例行走访 \
  --owner-said "$said" --met 王芳
v1=$(cat "$tmp/out")
[[ "$v1" =~ ^[0-9]+$ ]] || fail "visit add: no id: $v1"
wait_for 5 "visit.recorded"
expect_rc 0 as wang "$desk" --json visit show "$v1"
has '"topic":"routine"'; has '"visitor":"wang"'; has '"state":"recorded"'

# Bad input, nothing stored: a unit not in the archive, a topic not on
# the list, a visit ahead of now.
expect_rc 1 as wang "$desk" visit add --unit 9-9-9999 --topic routine
has "no unit '9-9-9999' in the archive"
expect_rc 1 as wang "$desk" visit add --unit 1-1-0201 --topic 闲聊
has "topic: '闲聊' is not a topic of visits"
has "one of: routine 例行走访"
expect_rc 1 as wang "$desk" visit add --unit 1-1-0201 --visited +2h
has "has not come yet"
expect_rc 1 as wang "$desk" visit add --unit 1-1-0201 --owner-said "$said$said"
has "owner_said: 3600 bytes, the limit is 2048"
expect_rc 0 as wang "$desk" --json visit list
[ "$(grep -c '"kind":"visit"' "$tmp/out")" -eq 1 ] || fail "refused visits stored: $(cat "$tmp/out")"

# A follow-up keeps the visit open until it is done (F4).
expect_rc 0 as wang "$desk" visit add --unit 2-1-0101 --topic repair \
  --visitor sue --owner-said "卫生间渗水" --follow-up "通知工程部查看"
v2=$(cat "$tmp/out")
expect_rc 0 as wang "$desk" visit list --open
has "2-1-0101"; hasnt "1-1-0101"
expect_rc 2 as wang "$desk" visit done "$v2"
expect_rc 0 as wang "$desk" visit done "$v2" --note "工程部已修复"
has "done"
expect_rc 1 as wang "$desk" visit done "$v2" --note again
has "already done"
expect_rc 0 as wang "$desk" visit add --unit 2-1-0201 --topic fees \
  --follow-up "核对物业费账单"
v3=$(cat "$tmp/out")

# F1: the month's list, drawn by the supervisor only, once.
expect_rc 4 as wang "$desk" visit draw --month "$month"
has "the supervisor draws"
expect_rc 2 as sue "$desk" visit draw --month 2026-13
expect_rc 1 as sue "$desk" visit draw --month 2099-12
has "has not begun"
expect_rc 1 as sue "$desk" visit draw --month 2026-01
has "2026-01 is over"
expect_rc 1 as sue "$desk" visit plan --month 2099-12
has "has not begun"
expect_rc 0 as sue "$desk" visit plan --month "$month"
has "not drawn yet"
has "F1 households visited: 3 of 2 required (5 % of 40 occupied)"
expect_rc 0 as sue "$desk" --json visit draw --month "$month"
has '"drawn":true'
seed=$(sed -n 's/.*"seed":"\{0,1\}\([0-9]*\).*/\1/p' "$tmp/out")
[ -n "$seed" ] || fail "no seed: $(cat "$tmp/out")"
# Never visited first: none of the three visited households is drawn.
for u in 1-1-0101 2-1-0101 2-1-0201; do hasnt "\"unit\":\"$u\""; done
[ "$(grep -o '"unit":"[0-9-]*"' "$tmp/out" | sort -u | wc -l)" -eq 2 ] ||
  fail "draw: not 2 households: $(cat "$tmp/out")"
first=$(grep -o '"unit":"[0-9-]*"' "$tmp/out" | head -1 | cut -d'"' -f4)
wait_for 5 "visit-plan.drawn"
expect_rc 1 as sue "$desk" visit draw --month "$month"
has "was drawn by sue with seed $seed; it stays as drawn"
expect_rc 0 as wang "$desk" visit plan --month "$month"
has "drawn by sue"; has "seed $seed"; has "list visited: 0 of 2"
grep -Eq "^$first +never +-$" "$tmp/out" || fail "plan: $(cat "$tmp/out")"

# The list's first household visited: done 1 of 2 (F4), F1 4 of 2.
expect_rc 0 as wang "$desk" visit add --unit "$first" --topic routine
v4=$(cat "$tmp/out")
expect_rc 0 as wang "$desk" visit plan
has "list visited: 1 of 2"
has "F1 households visited: 4 of 2 required"
grep -Eq "^$first +never +[0-9-]+ [0-9:]+ +$v4$" "$tmp/out" || fail "plan: $(cat "$tmp/out")"

# F4: the month for the team lead.
expect_rc 0 as sue "$desk" visit summary --month "$month"
has "visits $month: 4 visits to 4 households"
has "F4 visit list done: 1 of 2"
grep -Eq "^  routine +例行走访 +2$" "$tmp/out" || fail "summary routine: $(cat "$tmp/out")"
grep -Eq "^  repair +维修回访 +1$" "$tmp/out" || fail "summary repair: $(cat "$tmp/out")"
has "follow-ups: 2 this month, 1 of them open; 1 open in all"
grep -Eq "^$v3 +2-1-0201 .*核对物业费账单$" "$tmp/out" || fail "summary open: $(cat "$tmp/out")"
expect_rc 0 as sue "$desk" --json visit summary
has '"follow_ups_open":1'

# The compliance ledger's lines, from the same counts: F1 4 households of
# the 2 required, F4 1 of the list's 2.
line() { jq -r ".lines[] | select(.rule == \"$1\") | .$2 // 0" "$tmp/out"; }
expect_rc 0 as sue "$desk" --json ledger
[ "$(line F1 required)" = 2 ] && [ "$(line F1 done)" = 4 ] || fail "ledger F1: $(cat "$tmp/out")"
[ "$(line F4 required)" = 2 ] && [ "$(line F4 done)" = 1 ] || fail "ledger F4: $(cat "$tmp/out")"

# Visits kept elsewhere come in by ref, once; a row to a unit not in the
# archive is rejected, saying why.
cat > "$tmp/visits.csv" <<'CSV'
ref,unit,visited_ms,visitor,topic,owner_said,follow_up,state,done_note
p-1,1-1-0301,2026-11-20 10:00,li,opinion,满意,,,
p-2,1-1-0401,2026-11-21 15:00,li,safety,消防通道堆物,清理堆物,done,已清理
p-3,8-8-0801,2026-11-22 09:00,li,routine,,,,
CSV
expect_rc 1 as sue "$desk" import --kind visit "$tmp/visits.csv"
has "visits.csv:4: unit: no unit '8-8-0801' in the archive"
has "imported 2, skipped 0 as duplicates, rejected 1"
expect_rc 1 as sue "$desk" import --kind visit "$tmp/visits.csv"
has "imported 0, skipped 2 as duplicates, rejected 1"
expect_rc 0 as sue "$desk" export --kind visit --format jsonl
has '"done_note":"已清理"'
expect_rc 0 as sue "$desk" export --kind visit-plan --format jsonl
has "\"seed\":\"\\{0,1\\}$seed"
# The example file imports as the README says.
ex=$(dirname "$0")/../../scripts/examples
expect_rc 0 as sue "$desk" import "$ex/unit.csv"
expect_rc 0 as sue "$desk" import --kind visit "$ex/visit.csv"
has "imported 3, skipped 0 as duplicates, rejected 0"

# Next month, every occupied household visited by now, two of them long
# ago: the new list is those two, the longest unvisited first, each with
# its last visit's day.  (Not the household visited this month.)
mapfile -t olds < <(for u in 2-1-1701 1-1-1301 2-1-1101; do [ "$u" = "$first" ] || echo "$u"; done)
old1=${olds[0]} old2=${olds[1]}
{
  echo "ref,unit,visited_ms,visitor,topic"
  for i in $(seq 1 20); do
    printf 'n-1-%s,1-1-%02d01,2026-11-%02d 10:00,wang,routine\n' "$i" "$i" "$i"
    printf 'n-2-%s,2-1-%02d01,2026-11-%02d 15:00,wang,routine\n' "$i" "$i" "$i"
  done
  echo "o-1,$old1,2026-10-02 09:00,li,routine"
  echo "o-2,$old2,2026-10-05 09:00,li,routine"
} > "$tmp/old.csv"
sed -i -e "/^n-[12]-[0-9]*,$old1,/d" -e "/^n-[12]-[0-9]*,$old2,/d" "$tmp/old.csv"
expect_rc 0 as sue "$desk" import --kind visit "$tmp/old.csv"
has "imported 40,"
stop_deskd
start_deskd --now-offset 31d
expect_rc 0 as sue "$desk" visit draw
has "2027-01"
expect_rc 0 as sue "$desk" visit plan
grep -A2 '^UNIT' "$tmp/out" | tail -2 > "$tmp/list"
head -1 "$tmp/list" | grep -Eq "^$old1 +2026-10-02 +-$" &&
  tail -1 "$tmp/list" | grep -Eq "^$old2 +2026-10-05 +-$" || fail "next month's list: $(cat "$tmp/out")"
has "list visited: 0 of 2"
expect_rc 0 as sue "$desk" --json ledger
[ "$(line F1 done)" = 0 ] && [ "$(line F4 required)" = 2 ] &&
  [ "$(line F4 done)" = 0 ] || fail "next month's ledger: $(cat "$tmp/out")"

stop_deskd
deskd_verify

#!/usr/bin/env bash
# test_training.sh BIN_DIR CERT_DIR - drills and training at the desk
# (issue 14: G5, F5): a drill with its scenario, participants, duration and
# findings; a fire training session, a pass and a fail per person, a result
# for someone not in the session refused with nothing stored, one result a
# person and session; where each person stands (`desk training due`); a
# schedule putting someone untrained on a post refused by name, then
# published with --override-untrained and its reason on record (G5, on
# here); training records imported exactly once by ref; --json, --help.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

start_deskd --before-first-shift on
add_users clerk:wang clerk:li clerk:newbie supervisor:sue
watch_as sue --since 0
tr() { as wang "$desk" training "$@"; }

# G5: a drill, as the desk writes it up.
expect_rc 0 as wang "$desk" drill add --held "2026-06-15 10:00" \
  --scenario "3F 厨房起火, 全楼疏散" --participants wang,li,sue --minutes 25 \
  --findings "2F 安全出口堆放杂物" --location "3号楼"
d1=$(cat "$tmp/out")
[[ "$d1" =~ ^[0-9]+$ ]] || fail "drill add: no id: $d1"
expect_rc 1 as wang "$desk" drill add --held "2026-06-15 10:00"
has "scenario: required"
expect_rc 0 as wang "$desk" drill show "$d1"
grep -Eq "^participants +wang, ?li, ?sue$" "$tmp/out" || fail "drill show: $(cat "$tmp/out")"
grep -Eq "^findings +2F 安全出口堆放杂物$" "$tmp/out" || fail "drill findings: $(cat "$tmp/out")"
expect_rc 0 as wang "$desk" --json drill list
has '"minutes":25'

# F5: a month's plan, and a week's fire session with its people.
expect_rc 0 tr add --what plan --topic "12月培训计划" --subject fire \
  --held 2026-12-01 --trainer sue
expect_rc 1 tr add --topic "灭火器使用" --subject cooking --held "2026-12-04 09:00" \
  --participants wang,li
has "subject: 'cooking' is not a subject of training"
expect_rc 1 tr add --topic "灭火器使用" --subject fire --held "2026-12-04 09:00"
has "participants: required for a session"
expect_rc 0 tr add --topic "灭火器使用" --subject fire --held "2026-12-04 09:00" \
  --trainer sue --participants wang,li
s1=$(cat "$tmp/out")
wait_for 5 "training.recorded"

# Results: for the session's participants only, once each.
# A result is never the person's own word (G5: a pass puts them on a post).
expect_rc 1 tr pass "$s1" --person wang
has "'wang' may not record their own result"
expect_rc 0 as sue "$desk" training pass "$s1" --person wang
expect_rc 0 tr fail "$s1" --person li --note "未掌握使用步骤"
expect_rc 1 tr pass "$s1" --person newbie
has "'newbie' is not a participant of training $s1"
has "nothing recorded"
expect_rc 1 as sue "$desk" training pass "$s1" --person wang
has "already has a result"
expect_rc 1 tr pass 999 --person wang
has "no training 999"
expect_rc 0 tr results
! grep -q "newbie" "$tmp/out" || fail "a refused result was stored: $(cat "$tmp/out")"
[ "$(grep -Ec " (pass|fail) " "$tmp/out")" -eq 2 ] || fail "results: $(cat "$tmp/out")"

# Where each stands: wang trained, li's retake due.
expect_rc 0 tr due
grep -Eq "wang +fire +trained" "$tmp/out" || fail "due wang: $(cat "$tmp/out")"
grep -Eq "li +fire +retake" "$tmp/out" || fail "due li: $(cat "$tmp/out")"
expect_rc 0 as wang "$desk" --json training due --filter state=retake
has '"person":"li"'
hasnt '"person":"wang"'
expect_rc 0 tr pass --help
has "usage: desk training pass session"
has "--person"
hasnt "--result"

# G5: newbie has passed no fire training, nor has li (failed): a schedule
# with them on a post is refused, by name; an override with a reason
# publishes it, on record.
for d in $(seq -w 1 28); do
  printf '2027-02-%s,morning,front,wang\n2027-02-%s,evening,front,newbie\n2027-02-%s,night,front,li\n' $d $d $d
done > "$tmp/feb.csv"
expect_rc 0 as sue "$desk" schedule import "$tmp/feb.csv" --month 2027-02
expect_rc 1 as sue "$desk" schedule publish --month 2027-02
has "2 problems: newbie: no passed fire training; li: no passed fire training"
has "G5"
hasnt "wang: no passed"
expect_rc 0 as sue "$desk" schedule publish --month 2027-02 \
  --override-untrained "入职培训排在2月2日, 首班由王师傅带班"
has "version 1 (published)"
has "on a post with no passed fire training (G5): newbie, li"
has "override: 入职培训排在2月2日"
wait_for 5 "2 on a post untrained by override: 入职培训排在2月2日"
expect_rc 0 as wang "$desk" schedule show --month 2027-02 --version 1
has "override: 入职培训排在2月2日"

# An office's sheet of sessions and results: imported once by ref.
cat > "$tmp/training.csv" <<'CSV'
ref,topic,subject,held_ms,trainer,participants
t-1,服务礼仪,service,2026-11-20 14:00,sue,wang;newbie
CSV
expect_rc 0 as sue "$desk" import --kind training "$tmp/training.csv"
has "imported 1, skipped 0 as duplicates, rejected 0"
expect_rc 0 as sue "$desk" import --kind training "$tmp/training.csv"
has "imported 0, skipped 1 as duplicates, rejected 0"
expect_rc 0 tr list
s2=$(awk '/服务礼仪/ { print $1 }' "$tmp/out")
[[ "$s2" =~ ^[0-9]+$ ]] || fail "imported session: $(cat "$tmp/out")"
printf 'ref,session,person,result\nr-1,%s,newbie,pass\nr-2,%s,li,pass\n' "$s2" "$s2" \
  > "$tmp/results.csv"
# li was not in that session: the row is rejected, saying why.
expect_rc 1 as sue "$desk" import --kind training-result "$tmp/results.csv"
has "results.csv:3: person: 'li' is not a participant"
has "imported 1, skipped 0 as duplicates, rejected 1"
expect_rc 1 as sue "$desk" import --kind training-result "$tmp/results.csv"
has "imported 0, skipped 1 as duplicates, rejected 1"
expect_rc 0 as sue "$desk" export --kind training-result --format jsonl
has '"person":"newbie"'
# A service pass is no fire training: newbie stands untrained in fire.
expect_rc 0 tr due
grep -Eq "newbie +service +trained" "$tmp/out" || fail "due newbie: $(cat "$tmp/out")"
grep -Eq "newbie +fire" "$tmp/out" && fail "newbie has fire: $(cat "$tmp/out")"

stop_deskd
deskd_verify

#!/usr/bin/env bash
# test_surveys.sh BIN_DIR CERT_DIR - survey campaigns at the desk (issue 15:
# F2, F3): a supervisor opens one (a clerk may not); hand-outs to occupied
# units of the owner archive, once each (a vacant unit, one not in the
# archive and a second hand-out refused, nothing stored); returns from a
# unit that got one, once (a unit that never got one, a second return and
# answers that do not fit refused, nothing stored); deskd's clock moved
# past the window of 15 working days (--now-offset): a return is accepted,
# flagged late and not counted, while a paper return dated in the window
# and imported from CSV counts; the tally (`desk survey report`, --json)
# checked against figures this script computes itself.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

start_deskd
add_users clerk:wang supervisor:sue
sv() { as wang "$desk" survey "$@"; }
nreturns() { as wang "$desk" --json survey returns | grep -c '"kind"' || true; }

# The archive: occupied and let units are households; a vacant one is not.
# Buildings 3 (three households), 5 (one, one vacant) and 12 (one).
for u in 3-1-101:occupied 3-1-102:occupied 3-2-201:let 5-1-101:occupied \
  5-1-102:vacant 12-1-101:occupied; do
  expect_rc 0 as wang "$desk" unit add "${u%%:*}" --status "${u#*:}"
done

# F2: a campaign is the supervisor's.
qs="整体满意度,保洁服务,安保服务,text:意见和建议"
expect_rc 4 sv open --title "2026年业主满意度调查" --questions "$qs"
has "opened by a supervisor"
expect_rc 1 as sue "$desk" survey open --title "无题"
has "questions: required"
expect_rc 0 as sue "$desk" survey open --title "2026年业主满意度调查" --questions "$qs"
s=$(cat "$tmp/out")
[[ "$s" =~ ^[0-9]+$ ]] || fail "survey open: no id: $s"
expect_rc 0 sv show "$s"
has "2026年业主满意度调查"
has "window end"
expect_rc 0 sv list
has "2026年业主满意度调查"

# F2: hand-outs, one an occupied unit.
for u in 3-1-101 3-1-102 3-2-201 5-1-101; do
  expect_rc 0 sv handout "$s" --unit "$u"
done
expect_rc 1 sv handout "$s" --unit 5-1-102
has "'5-1-102' is not occupied"
expect_rc 1 sv handout "$s" --unit 9-9-999
has "9-9-999"
expect_rc 1 sv handout "$s" --unit 3-1-101
has "'3-1-101' got survey $s already"
expect_rc 1 sv handout 999 --unit 3-1-101
has "no survey 999"
expect_rc 0 as wang "$desk" --json survey handouts
[ "$(grep -c '"kind"' "$tmp/out")" -eq 4 ] || fail "handouts: $(cat "$tmp/out")"

# F3: returns at the desk: three scores (0 left blank) and the comment.
expect_rc 0 sv return "$s" --unit 3-1-101 --scores 5,4,3 --comments "电梯等候时间太长"
expect_rc 0 sv return "$s" --unit 3-2-201 --scores 4,0,5
expect_rc 1 sv return "$s" --unit 12-1-101 --scores 5,5,5
has "'12-1-101' never got survey $s"
has "nothing stored"
expect_rc 1 sv return "$s" --unit 3-1-101 --scores 1,1,1
has "'3-1-101' returned survey $s already"
expect_rc 1 sv return "$s" --unit 3-1-102 --scores 5,4
has "scores: 2 given, the survey has 3 scored questions"
expect_rc 1 sv return "$s" --unit 3-1-102 --scores 5,6,4
has "not 1-5"
[ "$(nreturns)" -eq 2 ] || fail "a refused return was stored"
# A paper return came back the day after the opening.
paper=$(TZ=Asia/Shanghai date -d '+1 day' '+%Y-%m-%d %H:%M')
stop_deskd

# F3: deskd 30 days on, past 15 working days: late, kept, not counted.
start_deskd --now-offset 30d
expect_rc 0 sv return "$s" --unit 5-1-101 --scores 1,1,2
expect_rc 0 sv returns --filter state=late
has "5-1-101"
hasnt "3-1-101"
# Paper returns typed in now, from the CSV: dated in the window, counted;
# one from a unit that never got one and a second one are rejected, by line.
cat > "$tmp/returns.csv" <<CSV
ref,survey,unit,scores,comments,returned_ms
p-1,$s,3-1-102,3;5;4,希望增加绿化,$paper
p-2,$s,12-1-101,5;5;5,,$paper
p-3,$s,3-2-201,2;2;2,,$paper
CSV
expect_rc 1 as wang "$desk" import --kind survey-return "$tmp/returns.csv"
has "returns.csv:3: unit: '12-1-101' never got survey $s"
has "returns.csv:4: unit: '3-2-201' returned survey $s already"
has "imported 1, skipped 0 as duplicates, rejected 2"
[ "$(nreturns)" -eq 4 ] || fail "returns after the import: $(nreturns)"

# The tally, computed here from what was given: the counted returns are
# 3-1-101 (5,4,3), 3-2-201 (4,-,5), 3-1-102 (3,5,4); 5-1-101 is late.
counted="5 4 3
4 0 5
3 5 4"
mean() { # mean COLUMN: of the non-zero scores
  echo "$counted" | awk -v c="$1" '$c > 0 { s += $c; n++ } END { printf "%.2f", s / n }'; }
expect_rc 0 sv report "$s"
has "handed out 4 of 5 occupied units (80.0%"
has "returned 3 of 4 in the window (75.0%, F3: at least 50%): met"
has "late 1"
grep -Eq "^1 +整体满意度 +3 +$(mean 1) +0 +0 +1 +1 +1$" "$tmp/out" || fail "q1 ($(mean 1)): $(cat "$tmp/out")"
grep -Eq "^2 +保洁服务 +2 +$(mean 2) +0 +0 +0 +1 +1$" "$tmp/out" || fail "q2 ($(mean 2)): $(cat "$tmp/out")"
grep -Eq "^3 +安保服务 +3 +$(mean 3) +0 +0 +1 +1 +1$" "$tmp/out" || fail "q3 ($(mean 3)): $(cat "$tmp/out")"
grep -Eq "^4 +text:意见和建议 +2 +\(text\)$" "$tmp/out" || fail "q4: $(cat "$tmp/out")"
has "- 电梯等候时间太长"
has "- 希望增加绿化"
# Buildings: 3 all back; 5 only late; 12 never handed one.
b3=$(echo "$counted" | awk '{ for (i = 1; i <= 3; i++) if ($i > 0) { s += $i; n++ } } END { printf "%.2f", s / n }')
grep -Eq "^3 +3 +3 +3 +0 +$b3$" "$tmp/out" || fail "building 3 ($b3): $(cat "$tmp/out")"
grep -Eq "^5 +1 +1 +0 +1 +0.00$" "$tmp/out" || fail "building 5: $(cat "$tmp/out")"
grep -Eq "^12 +1 +0 +0 +0 +0.00$" "$tmp/out" || fail "building 12: $(cat "$tmp/out")"
expect_rc 0 as wang "$desk" --json survey report "$s"
[ "$(jq -r '.target, .handed_out, .returned, .late, .half_back, .window_closed' "$tmp/out" | tr '\n' ' ')" = "5 4 3 1 true true " ] \
  || fail "report json: $(cat "$tmp/out")"
[ "$(jq -r '.questions[0].scores | join(",")' "$tmp/out")" = "0,0,1,1,1" ] || fail "json q1: $(cat "$tmp/out")"
[ "$(jq -r '.buildings | map(.building) | join(",")' "$tmp/out")" = "3,5,12" ] || fail "json buildings: $(cat "$tmp/out")"
# The same on one A4 page, in Chinese, read back (cairo's own loss at the
# end of a PDF is not ours: lsan-cairo.supp).
LSAN_OPTIONS=suppressions=$(dirname "$0")/lsan-cairo.supp \
  expect_rc 0 sv report "$s" --pdf "$tmp/tally.pdf"
has "survey $s tally written to"
pdftotext -layout "$tmp/tally.pdf" "$tmp/tally.txt"
grep -q "问卷结果统计表" "$tmp/tally.txt" || fail "PDF: no title: $(cat "$tmp/tally.txt")"
grep -q "2026年业主满意度调查" "$tmp/tally.txt" || fail "PDF: no survey"
grep -Eq "整体满意度 +3 +$(mean 1) +0 +0 +1 +1 +1" "$tmp/tally.txt" || fail "PDF: q1: $(cat "$tmp/tally.txt")"
grep -q "回收 returned 3 of 4" "$tmp/tally.txt" || fail "PDF: returned"
grep -q "电梯等候时间太长" "$tmp/tally.txt" || fail "PDF: no comment"
# Issue 16: the document's headings, English only before, have their
# Chinese over them; the terminal's tally speaks the user's language.
grep -Eq "问题 +回答数 +均分" "$tmp/tally.txt" && grep -Eq "QUESTION +ANSWERED +MEAN" "$tmp/tally.txt" &&
  grep -Eq "楼栋 +入住户 +已发放 +已回收 +逾期 +均分" "$tmp/tally.txt" ||
  fail "PDF: headings: $(cat "$tmp/tally.txt")"
LANG=zh_CN.UTF-8 LC_ALL='' LANGUAGE='' expect_rc 0 sv report "$s"
has "回收期内收回 3 / 4 份（75.0%，F3：至少 50%）：已达标" && has "问题 *回答数 *均分"
grep -Eq "^4 +text:意见和建议 +2 +（意见）$" "$tmp/out" || fail "zh q4: $(cat "$tmp/out")"
hasnt "handed out"
pdfinfo "$tmp/tally.pdf" | grep -Eq "^Pages: +1$" || fail "PDF: not one page"
expect_rc 0 sv report --help
has "usage: desk survey report ID"
expect_rc 2 sv report
expect_rc 1 sv report 999
has "no survey 999"

# F2 at once: a second campaign to every occupied unit not handed one
# yet (the vacant one left out), then to nobody twice.
expect_rc 0 as sue "$desk" survey open --title "2027年春季调查" --questions "整体满意度"
s2=$(cat "$tmp/out")
expect_rc 0 sv handout "$s2" --unit 3-1-101
expect_rc 0 sv handout-all "$s2"
has "survey $s2 handed out to 4 units now, 1 had it: 5 of 5 occupied units"
expect_rc 0 sv handout-all "$s2"
has "handed out to 0 units now, 5 had it"
expect_rc 0 as wang "$desk" --json survey handouts
[ "$(jq -s "map(select(.survey == $s2)) | length" "$tmp/out")" -eq 5 ] || fail "handout-all: $(cat "$tmp/out")"
[ "$(jq -s "map(select(.survey == $s2 and .unit == \"5-1-102\")) | length" "$tmp/out")" -eq 0 ] \
  || fail "handout-all: a vacant unit: $(cat "$tmp/out")"
expect_rc 1 sv handout-all 999
has "no survey 999"

stop_deskd
deskd_verify

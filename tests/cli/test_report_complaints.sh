#!/usr/bin/env bash
# test_report_complaints.sh BIN_DIR CERT_DIR - C8 (issue 15): the monthly
# complaint report.  A month with no complaints is an empty report that
# says so; a month in the future or malformed, or a week the month does not
# have, is refused.  Complaints of several categories, buildings and
# sources, judged, answered in time and late, revisited with scores,
# escalated and appealed: the report's every figure equals what this test
# counts itself from the exported complaints; an imported register counts
# on its file's dates, a row dated ahead refused; next month it stands
# beside the new month as the previous one; --csv and --json carry the same.
source "$(dirname "$0")/lib.sh" "$@"
export TZ=Asia/Shanghai	# deskd's zone: the month's days are its days

start_deskd
add_users clerk:wang supervisor:li director:zhao
month=$(date +%Y-%m)
next=$(date -d "$(date +%Y-%m-01) +1 month" +%Y-%m)
n=0
new() { # new UNIT CATEGORY [flags]: the new complaint's id in $id
  local unit=$1 cat=$2; shift 2
  expect_rc 0 as wang "$desk" complaint new --unit "$unit" --name 王女士 \
    --phone 13800000000 --text 楼上装修噪音 --category "$cat" "$@"
  id=$(grep -o '[0-9][0-9]*' "$tmp/out" | head -1); n=$((n + 1))
}
report() { as li "$desk" --json report complaints "$@"; }
field() { jq -r "$1" "$tmp/out"; }

# Nothing yet: an empty report that says so, not an error.
expect_rc 0 as wang "$desk" report complaints
has "No complaints were recorded in $month"
expect_rc 0 report
[ "$(field '.period.total // 0')" = 0 ] || fail "empty month: $(cat "$tmp/out")"

# Bad months and weeks: refused with the reason.
expect_rc 1 as li "$desk" report complaints --month "$next"
has "is in the future"
expect_rc 1 as li "$desk" report complaints --month 2026-13
has "is not a month (YYYY-MM)"
expect_rc 2 as li "$desk" report complaints --week 9
has "is not a week of the month"
expect_rc 1 as li "$desk" report complaints --month 2026-02 --week 6
has "has no week 6"

# The month's complaints.
new 3-2-1201 noise;       c1=$id
new 3-2-1201 噪音;        c2=$id
new 5-1-0301 parking;     c3=$id
new 5-1-0302 卫生;        c4=$id
new 3-1-0101 fees --source employee; c5=$id
new 7-1-0101 service;     c6=$id
# c1: valid, answered, resolved, revisited (5); c2: valid, resolved,
# revisit owed; c3: invalid, answered (closed); c4: valid, answered,
# escalated and appealed; c5: not judged, not answered; c6 answered late.
expect_rc 0 as wang "$desk" complaint valid "$c1"
expect_rc 0 as wang "$desk" complaint reply "$c1" --text 已联系 --next-reply-at +2h
expect_rc 0 as wang "$desk" complaint resolve "$c1" --text 已停工
expect_rc 0 as wang "$desk" complaint revisit "$c1" --result 满意 --satisfaction 5
expect_rc 0 as wang "$desk" complaint valid "$c2"
expect_rc 0 as wang "$desk" complaint resolve "$c2" --text 已处理
expect_rc 0 as wang "$desk" complaint invalid "$c3" --reason 非物业责任
expect_rc 0 as wang "$desk" complaint reply "$c3" --text 已解释
expect_rc 0 as wang "$desk" complaint valid "$c4"
expect_rc 0 as wang "$desk" complaint reply "$c4" --text 已联系 --next-reply-at +2h
expect_rc 0 as wang "$desk" complaint escalate "$c4" --reason 转经理
expect_rc 0 as zhao "$desk" complaint appeal "$c4" --ruling 维持
# c6's first reply three hours after intake: late (C2).
stop_deskd
start_deskd --now-offset 3h
expect_rc 0 as wang "$desk" complaint reply "$c6" --text 晚了 --next-reply-at +5h

# The test's own count, from the complaints as exported.
as admin "$desk" export --kind complaint --format jsonl >"$tmp/all.jsonl"
count() { jq -s "[.[] | select($1)] | length" "$tmp/all.jsonl"; }
expect_rc 0 report
p=.period
[ "$(field "$p.total")" = "$(count true)" ] && [ "$n" = 6 ] ||
  fail "total: $(field "$p.total") of $n"
[ "$(field "$p.valid")" = "$(count '.validity == "valid"')" ] || fail "valid: $(head -c 700 "$tmp/all.jsonl")"
[ "$(field "$p.invalid")" = "$(count '.validity == "invalid"')" ] || fail "invalid"
[ "$(field "$p.pending")" = 2 ] || fail "pending: $(field "$p.pending")"
for cat in noise parking cleaning fees service security; do
  [ "$(field "[$p.by_category[] | select(.key == \"$cat\") | .count // 0] | add // 0")" = \
    "$(count ".category == \"$cat\"")" ] || fail "category $cat: $(cat "$tmp/out")"
done
[ "$(field "[$p.by_category[] | select(.key == \"noise\")][0].name")" = 噪音 ] || fail "category name"
[ "$(field "[$p.by_building[] | select(.key == \"3\")][0].count")" = 3 ] || fail "building 3"
[ "$(field "[$p.by_building[] | select(.key == \"5\")][0].count")" = 2 ] || fail "building 5"
[ "$(field "[$p.by_source[] | select(.key == \"employee\")][0].count")" = 1 ] || fail "source"
# C2: on time c1 c2 (resolved) c3 c4; late c6; c5 not answered.
[ "$(field "$p.reply_on_time")" = 4 ] && [ "$(field "$p.reply_late")" = 1 ] &&
  [ "$(field "$p.reply_none")" = 1 ] || fail "replies: $(cat "$tmp/out")"
# C4: c1 revisited, c2 owed (c4 is open).
[ "$(field "$p.revisited")" = 1 ] && [ "$(field "$p.revisit_owed")" = 1 ] || fail "revisits"
[ "$(field "$p.satisfaction[4]")" = 1 ] || fail "satisfaction: $(field "$p.satisfaction")"
[ "$(field "$p.escalated")" = 1 ] && [ "$(field "$p.appealed")" = 1 ] || fail "escalations"
[ "$(field "[$p.repeat_units[] | select(.key == \"3-2-1201\")][0].count")" = 2 ] || fail "repeat unit"
[ "$(field "[$p.repeat_units[]] | length")" = 1 ] || fail "repeat units: $(field "$p.repeat_units")"
today=$(date +%d)
[ "$(field "[$p.by_day[] | select(.key == \"$today\")][0].count")" = 6 ] || fail "by day"

# The office is named as in export refs, for head office.
[ "$(field .office)" = "$(head -1 "$tmp/all.jsonl" | jq -r .ref | cut -d: -f1)" ] ||
  fail "office: $(field .office)"

# The terminal's table and the CSV carry the same figures.
expect_rc 0 as li "$desk" report complaints
has "noise 噪音  *2" && has "Units that complained more than once" && has "3-2-1201  *2"
has "answered within 2 h (C2)  *66.7%"
expect_rc 0 as li "$desk" report complaints --csv
has "^category,noise,噪音,2," && has "^figure,complaints,,6," && has "^repeat_unit,3-2-1201,,2,"

# The same as a document to print and sign: Chinese, the month's figures
# as this test counted them, every page rendered.
LSAN_OPTIONS=suppressions=$(dirname "$0")/lsan-cairo.supp \
  expect_rc 0 as li "$desk" report complaints --pdf "$tmp/report.pdf"
has "report $month written to $tmp/report.pdf"
pdftotext -layout "$tmp/report.pdf" "$tmp/report.txt"
grep -q "部门客户投诉工作月报" "$tmp/report.txt" || fail "PDF title: $(cat "$tmp/report.txt")"
grep -q "$month" "$tmp/report.txt" || fail "PDF month"
grep -Eq "噪音.*noise +2( |$)" "$tmp/report.txt" || fail "PDF noise: $(grep 噪音 "$tmp/report.txt")"
grep -Eq "服务态度.*service +1( |$)" "$tmp/report.txt" || fail "PDF service: $(grep 服务 "$tmp/report.txt")"
grep -q "3-2-1201" "$tmp/report.txt" || fail "PDF repeat unit"
pdftoppm -png -r 40 "$tmp/report.pdf" "$tmp/report" && ls "$tmp"/report*.png >/dev/null ||
  fail "PDF does not render"
[ -s "$(ls "$tmp"/report*.png | head -1)" ] || fail "PDF renders empty"
# A file that cannot be written: said, nothing else changed.
expect_rc 2 as li "$desk" report complaints --pdf /nonexistent/dir/r.pdf
has "/nonexistent/dir"

# A paper register imported by the admin counts on its file's dates (a
# complaint of last month's last evening in last month only, its reply
# time not known); a row
# dated ahead is refused whoever imports it: it would hide in a month to
# come.
prev=$(date -d "$month-01 -1 month" +%Y-%m)
prevlast=$(date -d "$month-01 -1 day" +%Y-%m-%d)
{
  echo 'ref,unit,complainant,phone,category,text,created_ms'
  echo "p1,9-1-0101,陈业主,13800000001,noise,半夜装修,$prevlast 23:00"
  echo "p2,9-1-0101,陈业主,13800000001,noise,又吵,$next-15 10:00"
} >"$tmp/paper.csv"
expect_rc 1 as admin "$desk" import "$tmp/paper.csv" --kind complaint
has "paper.csv:3: created_ms: dated after now" && has "imported 1, skipped 0 as duplicates, rejected 1"
expect_rc 0 report --month "$prev"
[ "$(field .period.total)" = 1 ] && [ "$(field .period.reply_unknown)" = 1 ] &&
  [ "$(field '[.period.by_building[] | select(.key == "9")][0].count')" = 1 ] ||
  fail "the imported complaint: $(cat "$tmp/out")"
expect_rc 0 report
[ "$(field .period.total)" = 6 ] && [ "$(field .previous.total)" = 1 ] || fail "this month and the one before"

# Next month: this month is the previous one beside it; nothing is lost.
stop_deskd
start_deskd --now-offset "$(( ($(date -d "$next-01 12:00" +%s) - $(date +%s)) ))s"
expect_rc 0 report
[ "$(field '.period.total // 0')" = 0 ] && [ "$(field '.previous.total')" = 6 ] ||
  fail "next month: $(cat "$tmp/out")"
[ "$(field '.previous.label')" = "$month" ] || fail "previous label"
expect_rc 0 report --month "$month"
[ "$(field '.period.total')" = 6 ] || fail "the month asked: $(cat "$tmp/out")"
stop_deskd
deskd_verify

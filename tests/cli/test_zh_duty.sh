#!/usr/bin/env bash
# test_zh_duty.sh BIN_DIR CERT_DIR - the desk's duty commands speak the
# user's language (issue 16): under LANG=zh_CN.UTF-8 clock in, the duty
# log, a request, attendance, the fire duties' help and the equipment due,
# the visit list, survey help, the complaint report and the ledger show
# Chinese headings, states and messages, with no English word left but
# data (names, shifts, posts, codes); under LANG=C.UTF-8 the same in English.
# The CSVs scripts read keep their English columns either way.  A seal's
# label longer than a show's column ("month signed (B8)") is followed by
# a space, never run into the signer.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

zh() { LANG=zh_CN.UTF-8 LC_ALL='' LANGUAGE='' "$@"; }
en() { LANG=C.UTF-8 LC_ALL='' LANGUAGE='' "$@"; }
# no_english [WORD...]: the last output has no English word of two letters
# or more but the data given (and the codes every line may carry).
no_english() {
  local allowed='desk|UTC|YYYY|MM|DD|HH|PDF|CSV|JSON|'$(IFS='|'; echo "$*")
  local words
  words=$(cat "$tmp/out" "$tmp/err" | sed -E 's/[0-9a-f]{64}//g' |
    grep -oE '[A-Za-z_]{2,}' | grep -vxE "$allowed" | sort -u | tr '\n' ' ' || true)
  [ -z "$words" ] || fail "English under zh_CN: $words in: $(cat "$tmp/out" "$tmp/err")"
}

# 2031-03-15 10:00 in Shanghai is 02:00 UTC: wang's morning shift.
target=$(( $(date -u -d '2031-03-15 02:00:00' +%s) * 1000 ))
offset=$(( target - $(date +%s%3N) ))
start_deskd --now-offset "${offset}ms"
add_users clerk:wang clerk:li clerk:zhao supervisor:sue director:dan
rota_csv 2031-03 wang li zhao > "$tmp/mar.csv"
expect_rc 0 as sue "$desk" schedule import "$tmp/mar.csv" --month 2031-03
expect_rc 0 as sue "$desk" schedule publish --month 2031-03

# Clock in: labels and the lateness in Chinese.
expect_rc 0 zh as wang "$desk" clock in
has "签到" && has "到岗 *迟到 120 分钟"
no_english wang morning
expect_rc 0 zh as wang "$desk" clock --help
has "为本班次签到" && hasnt "clock in for your shift"

# The duty log: an entry today, a day of February signed, then its month.
expect_rc 0 zh as wang "$desk" log add "大堂灯坏一盏，已报工程部"
has "大堂灯坏一盏"
expect_rc 0 zh as wang "$desk" log show
has "值班日志 2031-03-15：1 条"
no_english morning wang
expect_rc 0 as wang "$desk" log add --day 2031-02-03 "补记: 巡查正常"
expect_rc 0 zh as sue "$desk" log sign --day 2031-02-03
has "日签字 (B7) *sue 于 2031-03-15 10:00，1 条"
expect_rc 0 as sue "$desk" log sign --month 2031-02
expect_rc 0 en as wang "$desk" log show --day 2031-02-03
has "duty log 2031-02-03: 1 entry"
# The label is wider than the column: a space, then the signer.
grep -Eq "^day signed \(B7\) +sue at 2031-03-15 10:00, 1 entry, event [0-9]+ hash [0-9a-f]{64}$" "$tmp/out" ||
  fail "day seal: $(cat "$tmp/out")"
grep -Eq "^month signed \(B8\) +sue at 2031-03-15 10:00, " "$tmp/out" ||
  fail "month seal runs into the signer: $(cat "$tmp/out")"
expect_rc 0 zh as wang "$desk" log show --day 2031-02-03
has "月签字 (B8) *sue 于"
no_english sue wang

# A request: kind, state and labels.
expect_rc 0 as wang "$desk" request leave --date 2031-03-20 --shift morning --reason 家里有事
req=$(cat "$tmp/out")
expect_rc 0 zh as wang "$desk" request show "$req"
has "申请 $req  请假，待审批" && has "申请人 *wang" && has "班次 *2031-03-20 morning"
no_english wang morning
expect_rc 0 en as wang "$desk" request show "$req"
has "request $req  leave, pending" && has "requester *wang"
expect_rc 0 zh as wang "$desk" request --help
has "为一个班次请假（A3、A8）" && has "列出申请"
expect_rc 2 zh as wang "$desk" log show --day 1999-12-31
has "不是 2000-01-01 至 2099-12-31 之间的日期"

# Attendance: the table's headings translated, the CSV's kept for HR.
expect_rc 0 zh as sue "$desk" attendance report --month 2031-03
has "考勤 2031-03" && has "人员 *排班 *出勤 *迟到"
grep -Eq "^wang +31 +1 +1 +120 " "$tmp/out" || fail "attendance row: $(cat "$tmp/out")"
no_english wang li zhao sue dan admin
expect_rc 0 zh as sue "$desk" attendance report --month 2031-03 --csv
head -1 "$tmp/out" | grep -q "^user,scheduled,worked,late,late_min,absent" ||
  fail "csv: $(cat "$tmp/out")"
expect_rc 0 en as sue "$desk" attendance report --month 2031-03
has "attendance 2031-03" && has "user *sched *worked *late"

# Fire safety: help and the month's equipment.
expect_rc 0 zh as wang "$desk" tasks --help
has "消防安全任务" && hasnt "fire-safety duties"
expect_rc 0 zh as wang "$desk" patrol --help
has "用法: desk patrol 编号"
expect_rc 0 zh as wang "$desk" equipment due --month 2031-03
has "2031-03：0 件中 0 件须测试" && has "设施编号 *类型 *位置 *上次测试 *最迟"
no_english
expect_rc 0 en as wang "$desk" equipment due --month 2031-03
has "2031-03: 0 of 0 items due" && has "EQUIPMENT *TYPE *LOCATION"

# Visits: the month's list and summary.
expect_rc 0 zh as sue "$desk" visit plan --month 2031-03
has "走访名单 2031-03：尚未抽取" && has "F1 已走访户数"
no_english visit draw month   # the command to type
expect_rc 0 zh as sue "$desk" visit summary --month 2031-03
has "按主题" && has "F4 走访名单：尚未抽取"
no_english routine complaint repair opinion fees safety other   # topic codes
expect_rc 0 zh as sue "$desk" visit --help
has "主管抽取本月走访名单，只抽一次（F1）"
expect_rc 0 en as sue "$desk" visit plan --month 2031-03
has "visit list 2031-03: not drawn yet"

# Surveys: the tally's help.
expect_rc 0 zh as sue "$desk" survey report --help
has "问卷结果统计表" && has "用法: desk survey report 编号"

# The complaint report: figures and sections; the CSV's keys stay.
expect_rc 0 zh as sue "$desk" report complaints --month 2031-03
has "投诉报表 2031-03" && has "2031-03 没有投诉记录" && has "投诉总数" &&
  has "按类别" && has "多次投诉的房号"
no_english cleaning fees noise other parking repair security service   # category codes
expect_rc 0 zh as sue "$desk" report complaints --month 2031-03 --csv
has "^figure,complaints,," && has "^figure,answered within 2 h (C2),,"
expect_rc 0 en as sue "$desk" report complaints --month 2031-03
has "Complaint report 2031-03" && has "By category"

# The ledger: headings, each quota's what and its status.
expect_rc 0 zh as sue "$desk" ledger --month 2031-03
has "服务合规台账 2031-03" && has "规则 *事项 *应完成" && has "值班日志已签字天数" &&
  has "有效投诉已回访"
grep -Eq "(已达标|进度正常|有风险|未达标)$" "$tmp/out" || fail "ledger status: $(cat "$tmp/out")"
no_english
expect_rc 0 en as sue "$desk" ledger --month 2031-03
has "Compliance ledger 2031-03" && has "RULE *WHAT" && has "days of the duty log signed"
hasnt "服务合规台账 2031-03"

stop_deskd
echo ok

#!/usr/bin/env bash
# test_refusals_left_zh.sh BIN_DIR CERT_DIR - the refusals and reports
# that stayed English at a Chinese desk (issue 16): a record's kind named
# in a refusal, a schedule's problems, an import's provenance and its
# rejected rows, a survey's refusals and the dates of a range, and a
# complaint's category by its Chinese name.  Under LANG=C the English is
# what it always was.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

start_deskd
add_users clerk:wang supervisor:sue engineer:gong
expect_rc 0 as sue "$desk" unit add 3-2-1201 --status occupied

zh() { LANG=zh_CN.UTF-8 LC_ALL='' LANGUAGE='' "$@"; }
en() { LANG=C LC_ALL='' LANGUAGE='' "$@"; }

# A record's kind is said as the desk calls it ("record" context: a repair
# is a work order, 工单, not the kind of work 维修).
expect_rc 1 zh as wang "$desk" complaint valid 9
has '没有 投诉 9'
hasnt 'complaint'
expect_rc 1 zh as wang "$desk" repair show 9
has '没有 工单 9'
hasnt 'repair'
expect_rc 1 en as wang "$desk" complaint valid 9
has 'no complaint 9 (NOT_FOUND)'
expect_rc 1 en as wang "$desk" repair show 9
has 'no repair 9 (NOT_FOUND)'

# A schedule's problems, each said in the desk's language.
printf '2027-02-01,morning,front,nobody\n' > "$tmp/nobody.csv"
expect_rc 1 zh as sue "$desk" schedule import "$tmp/nobody.csv" --month 2027-02
has "用户 'nobody'：不存在或已停用"
hasnt 'no such user'
printf '2027-02-01,morning,front,wang\n' > "$tmp/one.csv"
expect_rc 0 as sue "$desk" schedule import "$tmp/one.csv" --month 2027-02
expect_rc 1 zh as sue "$desk" schedule publish --month 2027-02
has '未发布：83 个问题'
has '2027-02-28 night front：无人值班'
hasnt 'nobody on duty'
hasnt 'problems'
expect_rc 1 en as sue "$desk" schedule publish --month 2027-02
has 'not published: 83 problems: 2027-02-01 evening front: nobody on duty;'
has '  2027-02-28 night front: nobody on duty'

# A complaint's category by the office's name for it; the code in English
# and in the exports.
expect_rc 0 as wang "$desk" complaint new --unit 3-2-1201 --name "王女士" \
  --phone 13800000000 --category noise --text "楼上装修噪音"
expect_rc 0 zh as wang "$desk" complaint list
has '噪音'
hasnt 'noise'
expect_rc 0 zh as wang "$desk" complaint show 1
has '噪音'
hasnt 'noise'
expect_rc 0 en as wang "$desk" complaint list
has ' noise '
hasnt '噪音 '
expect_rc 0 en as wang "$desk" complaint show 1
has 'noise'
expect_rc 0 zh as wang "$desk" --json complaint show 1
has '"category": *"noise"'

# An import's rejected rows: the server's reasons said from their codes,
# a step the row implies named by the row's field; on stderr and in the
# rejects file alike.
{
  printf 'ref,unit,complainant,phone,category,text,status\n'
  printf 'i1,9-9-9999,x,13800000001,noise,t,\n'
  printf ',3-2-1201,x,13800000001,noise,t,\n'
  printf 'i3,3-2-1201,x,13800000001,noise,t,STATUS_RESOLVED\n'
} >"$tmp/imp.csv"
expect_rc 1 zh as admin "$desk" import "$tmp/imp.csv" --kind complaint
has 'imp.csv:2: unit: 单元 9-9-9999 不在档案中'
has 'imp.csv:3: ref: 必填：该行的外部编号'
has 'imp.csv:4: result: 处理结果'
hasnt 'in the archive'
hasnt 'required'
hasnt 'the resolution'
expect_rc 1 zh as admin "$desk" import "$tmp/imp.csv" --kind complaint \
  --rejects "$tmp/rej.csv"
grep -q '^2,unit,单元 9-9-9999 不在档案中' "$tmp/rej.csv" ||
  fail "rejects: $(cat "$tmp/rej.csv")"
expect_rc 1 en as admin "$desk" import "$tmp/imp.csv" --kind complaint
has "imp.csv:2: unit: no unit '9-9-9999' in the archive (see desk unit list)"
has "imp.csv:3: ref: required: the row's external key"
has 'imp.csv:4: result: the resolution'

# A survey return whose answers do not fit: said in Chinese, the ordinal
# of the English left out.
expect_rc 0 as wang "$desk" unit add 3-1-101 --status occupied
s=$(as sue "$desk" survey open --title "满意度" --questions "整体,保洁,text:意见")
expect_rc 0 as wang "$desk" survey handout "$s" --unit 3-1-101
expect_rc 1 zh as wang "$desk" survey return "$s" --unit 3-1-101 --scores 5
has 'scores：填了 1 个分数，问卷有 2 道打分题（未填的题记 0）；未保存'
expect_rc 1 zh as wang "$desk" survey return "$s" --unit 3-1-101 --scores 5,6
has 'scores：第 2 个分数是 6，不在 1-5 之间'
expect_rc 1 zh as wang "$desk" survey return "$s" --unit 3-1-101 --scores 5,5 \
  --comments "a,b"
has 'comments：填了 2 条意见，问卷只有 1 道文字题；未保存'
hasnt 'given'
expect_rc 1 en as wang "$desk" survey return "$s" --unit 3-1-101 --scores 5,6
has 'scores: the 2nd score is 6, not 1-5 (0: left blank); nothing stored'

# Why a record is not shown to someone: said in Chinese after its kind.
expect_rc 0 as wang "$desk" repair new --unit 3-2-1201 --name "王女士" \
  --phone 13800000000 --kind repair --text "水管漏水"
expect_rc 4 zh as gong "$desk" repair show 1
has '工单 1 不是派给你的'
hasnt 'not sent to you'
expect_rc 4 en as gong "$desk" repair show 1
has 'repair 1 is not sent to you (an engineer reads the orders dispatched to them)'
echo ok

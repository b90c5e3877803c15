#!/usr/bin/env bash
# test_zh_registers.sh BIN_DIR CERT_DIR - issue 16: the registers, the owner
# archive, import and export speak Chinese under LANG=zh_CN.UTF-8 and
# English otherwise.  Under zh_CN: usage, the prompts (labels, not
# `id-type (TEXT):`), list headings and states, a show's labels, the
# import's summary and a bad row's reason; what scripts read stays as it
# is (flags, --json, a file's columns, the rejects file's header).  The
# same commands under LANG=C are English.  Wide columns keep a space
# between them.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

zh() { LANG=zh_CN.UTF-8 "$@"; }
en() { LANG=C "$@"; }
# no_prose: the last output has no English sentence left in it: no word
# of English prose once flags, `commands` and "desk ..." are taken out
# (names, codes, a file's columns and the words typed stay English).
no_prose() { sed -E 's/--[a-z-]+//g; s/`[^`]*`//g; s/desk( [a-z-]+)*//g' \
  "$tmp/out" "$tmp/err" >"$tmp/prose"
  ! grep -qwiE 'the|of|is|are|not|and|or|usage|with|from|by|an|was|has|one' "$tmp/prose" ||
  fail "English left: $(grep -wiE 'the|of|is|are|not|and|or|usage|with|from|by|an|was|has|one' "$tmp/prose")"; }
# no_latin: the first line of the output (a list's headings) has no
# English word in it.
no_latin() { ! head -1 "$tmp/out" | grep -q '[A-Za-z]' ||
  fail "English in the headings: $(head -1 "$tmp/out")"; }

make_archive_key
start_deskd --archive-key "$tmp/archive.key"
add_users clerk:wang supervisor:sue

# Usage and the form's fields: labels beside the flags, which stay.
expect_rc 0 zh "$desk" visitor in --help
has '用法: desk visitor in'; has '--id-type *证件类型 *文本'; has '同意方式'
no_prose
expect_rc 0 en "$desk" visitor in --help
has 'usage: desk visitor in'; has '--id-type  *TEXT'; hasnt '证件类型'
expect_rc 0 zh "$desk" visitor --help
has '访客离开'; no_prose
expect_rc 2 zh as wang "$desk" visitor in --name x --consent maybe
has '不是present|phone|standing'; no_prose

# E2 prompted: the desk reads labels, and the values typed stay deskd's words.
printf '李四\n护照\nE12345678\n3-1202\n维修\nphone\n李业主\n\n' |
  zh as wang "$desk" visitor in --prompt >"$tmp/out" 2>"$tmp/err" ||
  fail "prompt: $(cat "$tmp/err")"
v1=$(cat "$tmp/out")
[[ "$v1" =~ ^[0-9]+$ ]] || fail "prompt: no id: $v1 $(cat "$tmp/err")"
grep -q '证件类型（文本）: ' "$tmp/err" &&
  grep -q '同意方式（present|phone|standing）: ' "$tmp/err" ||
  fail "prompts: $(cat "$tmp/err")"
grep -q 'id-type\|(TEXT)' "$tmp/err" && fail "English prompts: $(cat "$tmp/err")"
expect_rc 0 zh as wang "$desk" visitor in --name 张三 --id-type 身份证 \
  --id-number 110101199001011234 --unit 3-1201 --purpose 送货 --consent present
v2=$(cat "$tmp/out")

# Who is inside: headings and states in Chinese, the names as they are.
expect_rc 0 zh as wang "$desk" visitor list --inside
no_latin; has '姓名'; has '房号'; has '在场'; has '李四'; hasnt 'inside'
expect_rc 0 zh as wang "$desk" visitor out "$v2"
expect_rc 0 zh as wang "$desk" visitor show "$v2"
has "^visitor $v2  已离开"; has '^证件号码 *110\*'; has '^登记 .*wang（第 [0-9]* 版）'
hasnt 'recorded'; hasnt 'id number'; no_prose
expect_rc 0 en as wang "$desk" visitor show "$v2"
has "^visitor $v2  out"; has '^id number *110\*'; has '^recorded .* by wang (revision'
expect_rc 0 en as wang "$desk" visitor list --inside
has '^ID  *NAME  *UNIT'; has 'inside'; hasnt '在场'
# A name as wide as its column is cut, and one space still parts it from
# the unit (it ran into it: 欧阳娜娜娜娜娜3-1203).
expect_rc 0 as wang "$desk" visitor in --name 欧阳娜娜娜娜娜娜 --id-type 身份证 \
  --id-number 110101199001015678 --unit 3-1203 --purpose 送货 --consent present
expect_rc 0 zh as wang "$desk" visitor list
has ' 欧阳娜娜娜娜… *3-1203 '; hasnt '娜3-1203'
# --json is for scripts: deskd's words.
expect_rc 0 zh as wang "$desk" --json visitor show "$v2"
has '"state":"out"'; has '"consent":"CONSENT_PRESENT"'

# Keys out and in; the generic register list reads the same.
expect_rc 0 zh as wang "$desk" key add --tag K-1 --slot A1 --unit 7-0101 --source vacant
k1=$(cat "$tmp/out")
expect_rc 0 zh as wang "$desk" key out "$k1" --to 老李 --reason 查漏水
has '^持有人 *老李'; has '已借出'; no_prose
expect_rc 0 zh as wang "$desk" key list
no_latin; has '钥匙牌号'; has '借出时间'; has '已借出'
expect_rc 0 zh as wang "$desk" key in "$k1"
has '在柜'
expect_rc 0 zh as wang "$desk" register key list
no_latin; has '在柜'
expect_rc 0 en as wang "$desk" register key list
has '^ID  *TAG  *SLOT'; has '  in '
expect_rc 2 zh "$desk" register nope
has '没有登记本“nope”'; has '前台的各类登记本'; no_prose

# The owner archive.
expect_rc 0 zh as wang "$desk" unit add 3-2-1201 --area 89.5 --status occupied
has '^房屋 3-2-1201  已入住'; has '^面积 *89.50 m²'
expect_rc 0 zh as wang "$desk" person add --unit 3-2-1201 --name 王芳 --phone 13912345678
has '王芳，3-2-1201 的业主'; has '^电话 *139\*\*\*\*5678'
p1=$(sed -n 's/^住户 \([0-9]*\) .*/\1/p' "$tmp/out")
[ -n "$p1" ] || fail "no person id: $(cat "$tmp/out")"
expect_rc 0 zh as wang "$desk" person show "$p1"
has '^证件号码'; has '^入住日期'; hasnt 'move-in'
expect_rc 0 zh as wang "$desk" unit show 3-2-1201
has '^人数 *1'; has '编号 *类别 *姓名 *电话'; has '业主'; no_prose
expect_rc 0 zh as wang "$desk" unit list
no_latin; has '3-2-1201 *已入住 *89.50 m²'
expect_rc 0 en as wang "$desk" unit list
has '^CODE  *STATUS'; has 'occupied'
for c in "unit add" "person add" "person reveal" "unit list"; do
  # shellcheck disable=SC2086  # the command's words
  expect_rc 0 zh "$desk" $c --help
  has '^用法'; no_prose
done
expect_rc 2 zh as wang "$desk" unit add 3-2-1202 --status sold
has '状态“sold”无效'

# Import: a bad row is told in Chinese; the rejects file keeps its columns.
printf 'ref,code,area_dm2,status\nu-1,3-2-1301,9000,vacant\nu-2,3-2-1302,lots,vacant\n' >"$tmp/units.csv"
expect_rc 1 zh as sue "$desk" import "$tmp/units.csv" --kind unit
has '已导入 1 条，跳过重复 0 条，退回 1 条'
has 'units.csv:3: area_dm2: “lots”不是数字'; no_prose
expect_rc 1 zh as sue "$desk" import "$tmp/units.csv" --kind unit --rejects "$tmp/rej.csv"
has '已导入 0 条，跳过重复 1 条，退回 1 条'
[ "$(head -1 "$tmp/rej.csv")" = "line,field,reason" ] || fail "rejects: $(cat "$tmp/rej.csv")"
grep -q '^3,area_dm2,“lots”不是数字$' "$tmp/rej.csv" || fail "rejects: $(cat "$tmp/rej.csv")"
expect_rc 0 zh as sue "$desk" unit show 3-2-1301
has '^导入 .*sue 从 .*units.csv 导入，编号 u-1（第 1 版）'; no_prose
printf 'ref,code\nu-3,3-2-1303\n' >"$tmp/more.csv"
expect_rc 2 zh as sue "$desk" import "$tmp/more.csv" --dry-run
has '这些列同时符合 unit, .*checkpoint，请指定 --kind$'; no_prose
expect_rc 0 zh as sue "$desk" import "$tmp/more.csv" --dry-run --kind unit
has '^试运行，未保存：将导入 1 条，跳过重复 0 条，退回 0 条'
expect_rc 1 en as sue "$desk" import "$tmp/units.csv" --kind unit
has 'imported 0, skipped 1 as duplicates, rejected 1'; has "'lots' is not N"
expect_rc 0 zh "$desk" import --help
has '^用法: desk import'; no_prose
expect_rc 0 zh "$desk" import --columns unit
has '^  area_dm2  *面积  *数字'; no_prose
expect_rc 2 zh "$desk" import "$tmp/units.csv" --kind nope
has '没有类别“nope”'

# Export: the file is the same in any language (scripts read it).
zh as sue "$desk" export --kind unit >"$tmp/zh.csv" || fail "export zh"
en as sue "$desk" export --kind unit >"$tmp/en.csv" || fail "export en"
cmp -s "$tmp/zh.csv" "$tmp/en.csv" || fail "exports differ: $(diff "$tmp/zh.csv" "$tmp/en.csv")"
head -1 "$tmp/zh.csv" | grep -q '^ref,id,code,area_dm2,status' || fail "columns: $(head -1 "$tmp/zh.csv")"
expect_rc 0 zh "$desk" export --help
has '^用法: desk export'; no_prose
echo ok

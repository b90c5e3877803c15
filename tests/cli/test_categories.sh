#!/usr/bin/env bash
# test_categories.sh BIN_DIR CERT_DIR - C8 (issue 15): complaint categories
# from a configured list.  A code and its Chinese name are stored as the
# same code; one not on the list is refused naming the nearest, nothing
# stored; an office's own category from the config ([categories] and
# --category); `desk categories` lists them; an import maps its free text
# through the config's table and rejects a row it cannot map; a stored
# category the list no longer has stays readable.
source "$(dirname "$0")/lib.sh" "$@"

printf '[categories]\nwater = 漏水\nmap = 楼上吵:noise, 水管爆了:water\nmap = 乱收费:fees\n' \
  >"$tmp/deskd.ini"
start_deskd --config "$tmp/deskd.ini" --category lift=电梯
add_users clerk:wang
new() { as wang "$desk" complaint new --unit 3-2-1201 --name 王女士 \
  --phone 13800000000 --text 楼上装修噪音 "$@"; }
count() { as admin "$desk" export --kind complaint --format jsonl | wc -l; }

# The list, for the desk: the defaults, then the office's own.
expect_rc 0 as wang "$desk" categories
has "noise  *噪音" && has "service  *服务态度" && has "water  *漏水" && has "lift  *电梯"
expect_rc 0 as wang "$desk" --json categories
has '"code":"noise","name":"噪音"' && has '"code":"water","name":"漏水"'
[ "$(grep -c '"code"' "$tmp/out")" -eq 10 ] || fail "categories: $(cat "$tmp/out")"

# The code and the Chinese name are one category: stored as the code.
expect_rc 0 new --category noise
expect_rc 0 new --category 噪音
expect_rc 0 new --category 漏水
expect_rc 0 new --category lift
as admin "$desk" export --kind complaint --format jsonl >"$tmp/all.jsonl"
[ "$(grep -c '"category":"noise"' "$tmp/all.jsonl")" -eq 2 ] ||
  fail "noise and 噪音 are not one: $(cat "$tmp/all.jsonl")"
grep -q '"category":"water"' "$tmp/all.jsonl" || fail "漏水: $(cat "$tmp/all.jsonl")"
grep -q '"category":"lift"' "$tmp/all.jsonl" || fail "lift: $(cat "$tmp/all.jsonl")"
expect_rc 0 as wang "$desk" complaint show 2
has "noise"

# Not on the list: refused, the nearest named, and the list; nothing stored.
expect_rc 1 new --category 噪声
has "category: '噪声' is not on the list; did you mean 噪音 (noise)?"
has "noise 噪音, cleaning 卫生" && has "lift 电梯"
expect_rc 1 new --category facility
has "is not on the list; did you mean"
# The import's table is for imports: the desk picks from the list.
expect_rc 1 new --category 楼上吵
[ "$(count)" -eq 4 ] || fail "a refused category was stored: $(count)"

# An import: a code, a name, free text through the table; a row the
# table cannot map is rejected with its line and reason, the others go on.
{
  echo 'ref,unit,complainant,phone,category,text'
  echo 'i1,3-2-1201,陈业主,13800000001,楼上吵,半夜装修'
  echo 'i2,3-2-1201,陈业主,13800000001,水管爆了,地下室进水'
  echo 'i3,3-2-1201,陈业主,13800000001,停车,车位被占'
  echo 'i4,3-2-1201,陈业主,13800000001,电梯坏了,电梯停运'
  echo 'i5,3-2-1201,陈业主,13800000001,乱收费,多收物业费'
} >"$tmp/in.csv"
expect_rc 1 as admin "$desk" import "$tmp/in.csv" --kind complaint --rejects "$tmp/rej.csv"
has "imported 4, skipped 0 as duplicates, rejected 1"
grep -q "^5,category,\"\\?'电梯坏了' is not on the list; did you mean 电梯 (lift)?" "$tmp/rej.csv" ||
  fail "unmapped row: $(cat "$tmp/rej.csv")"
as admin "$desk" export --kind complaint --format jsonl >"$tmp/all.jsonl"
for want in i1:noise i2:water i3:parking i5:fees; do
  grep "\"ref\":\"${want%%:*}\"" "$tmp/all.jsonl" | grep -q "\"category\":\"${want#*:}\"" ||
    fail "row ${want%%:*} not stored as ${want#*:}: $(grep "${want%%:*}" "$tmp/all.jsonl")"
done
grep -q '"ref":"i4"' "$tmp/all.jsonl" && fail "the unmapped row was stored"

# A complaint whose category the list no longer has (as older free text
# is): read and followed up as it is, never refused for it.
stop_deskd
start_deskd --category facility=设施
expect_rc 0 new --category 设施
id=$(cat "$tmp/out")
stop_deskd
start_deskd --config "$tmp/deskd.ini" --category lift=电梯
expect_rc 0 as wang "$desk" complaint show "$id"
has "facility"
expect_rc 0 as wang "$desk" complaint valid "$id"
expect_rc 1 new --category facility
has "is not on the list"

# A bad line of the section stops deskd at start, saying why.
expect_rc 2 "$bin/deskd" verify --data "$tmp/data" --category map=电梯坏了:elevator
has "bad entry '电梯坏了:elevator'"
echo "ok"

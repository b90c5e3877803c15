#!/usr/bin/env bash
# test_names_lists.sh BIN_DIR CERT_DIR - issue 16 at the desk: a clerk is
# added as wangfang called 王芳 (a login in Chinese is refused, saying how);
# her complaint's list row names her 王芳, its long Chinese text is cut
# with … and the next column still starts where the header says; the
# schedule names her too.  `complaint list` and `repair list` take --unit,
# --category/--kind, --from, --to, --status; bad values are refused with
# what is wrong.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"
export LC_ALL=C.UTF-8
# Display columns of text (wc -L counts a Chinese character as two).
cols() { printf '%s' "$1" | wc -L; }

start_deskd
add_users supervisor:lead1 clerk:li
admin() { XDG_CONFIG_HOME=$tmp/cfg-admin "$@"; }

# A login is latin letters; the name people know her by is --name.
expect_rc 2 admin "$desk" user add 王芳 --role clerk --password-file "$(pwfile x)"
has "desk user add wangfang --name 王芳"
expect_rc 0 admin "$desk" user add wangfang --name 王芳 --role clerk \
  --password-file "$(pwfile wangfang)"
has "wangfang (王芳)"
expect_rc 0 admin "$desk" user list
grep -E '^wangfang +王芳 +clerk' "$tmp/out" >/dev/null || fail "user list: $(cat "$tmp/out")"
# Only the admin names someone.
expect_rc 4 as lead1 "$desk" user set-name li 李娜
expect_rc 0 admin "$desk" user set-name li 李娜
has "li is now shown as 李娜"

# Her complaint: the list says who recorded it by name; a long text is
# cut with … and TEXT starts at the header's column.
long="电梯停运三天无人处理，业主多次投诉，要求物业给出书面说明并赔偿损失"
expect_rc 0 as wangfang "$desk" complaint new --unit 3-2-1201 --name 张先生 \
  --phone 13800000000 --category noise --text "$long" --demand 尽快修复 \
  --source customer --channel phone
expect_rc 0 as li "$desk" complaint new --unit 3-21-0101 --name 赵女士 \
  --phone 13800000001 --category 其他 --text 门禁卡失灵 --demand 换卡 \
  --source customer --channel visit
expect_rc 0 as li "$desk" complaint list
header=$(head -1 "$tmp/out")
row=$(grep '^1 ' "$tmp/out") || fail "no complaint 1: $(cat "$tmp/out")"
printf '%s' "$row" | grep -q ' 王芳 ' || fail "BY is not 王芳: $row"
grep '^2 ' "$tmp/out" | grep -q ' 李娜 ' || fail "BY is not 李娜: $(cat "$tmp/out")"
# A watching desk names her on each event line (the directory read before
# the stream starts).
watch_as li
for _ in $(seq 100); do grep -q . "$tmp/watch.err" 2>/dev/null && break; sleep 0.05; done
expect_rc 0 as wangfang "$desk" complaint note 1 --text 已电话联系
wait_for 5 ' 王芳 .*complaint.noted'
# Her complaint's show and history name her too, as people know her.
expect_rc 0 as li "$desk" complaint show 1
grep -E '^recorded +.* by 王芳 ' "$tmp/out" >/dev/null || fail "show: $(cat "$tmp/out")"
expect_rc 0 as li "$desk" complaint history 1
grep -E ' 王芳 +complaint.created' "$tmp/out" >/dev/null || fail "history: $(cat "$tmp/out")"
# (A cut may leave a column short of a two-column character: padded.)
case $row in *…|*"… ") ;; *) fail "the long text is not cut with …: $row";; esac
[ "$(cols "${header%%TEXT*}")" -eq "$(cols "${row%%电梯*}")" ] ||
  fail "TEXT does not start at its column: '$header' / '$row'"
[ "$(cols "${header%%BY*}")" -eq "$(cols "${row%%王芳*}")" ] ||
  fail "BY does not start at its column: '$header' / '$row'"

# Filters.
only() { # only ID...: the list's rows are exactly these ids
  local got; got=$(awk 'NR > 1 { print $1 }' "$tmp/out" | tr '\n' ' ')
  [ "${got% }" = "$*" ] || fail "listed '$got', wanted '$*': $(cat "$tmp/out")"
}
today=$(TZ=Asia/Shanghai date +%F)
tomorrow=$(TZ=Asia/Shanghai date -d tomorrow +%F)
expect_rc 0 "$desk" login --user li --password-file "$(pwfile li)"
expect_rc 0 "$desk" complaint list --unit 3-2; only 1
expect_rc 0 "$desk" complaint list --unit 3-21-0101; only 2
expect_rc 0 "$desk" complaint list --category 噪音; only 1
expect_rc 0 "$desk" complaint list --category other --status open; only 2
expect_rc 0 "$desk" complaint list --from "$today" --to "$today" --limit 1; only 1
expect_rc 0 "$desk" complaint list --from "$tomorrow"; only
expect_rc 0 "$desk" complaint list --status closed; only
expect_rc 2 "$desk" complaint list --from 2026-02-30
has "not a day"
expect_rc 2 "$desk" complaint list --from "$tomorrow" --to "$today"
has "is after --to"
expect_rc 1 "$desk" complaint list --status pending
has "open|resolved|closed"
expect_rc 1 "$desk" complaint list --category 车位纠纷
has "category"

expect_rc 0 "$desk" repair new --unit 3-2-1201 --name 王女士 --phone 13800000000 \
  --kind repair --text 厨房水管爆裂
expect_rc 0 "$desk" repair new --unit 5-1-0101 --name 李先生 --phone 13800000002 \
  --kind service --text 搬家协助
expect_rc 0 "$desk" repair dispatch 2
expect_rc 0 "$desk" repair list --unit 5-1; only 2
expect_rc 0 "$desk" repair list --kind repair; only 1
expect_rc 0 "$desk" repair list --status dispatched --from "$today"; only 2
grep '^2 ' "$tmp/out" | grep -q ' 李娜 ' || fail "repair BY is not 李娜: $(cat "$tmp/out")"
expect_rc 1 "$desk" repair list --kind plumbing
has "repair|service|special"

# The schedule names people as they are known.
expect_rc 0 as lead1 "$desk" schedule set 2027-02-14 morning front wangfang
expect_rc 0 as lead1 "$desk" schedule show --month 2027-02 --draft
grep -Eq "2027-02-14 +morning .* +front +王芳" "$tmp/out" || fail "schedule: $(cat "$tmp/out")"
echo ok

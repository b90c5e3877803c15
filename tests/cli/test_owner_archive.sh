#!/usr/bin/env bash
# test_owner_archive.sh BIN_DIR CERT_DIR - the owner archive through the desk CLI
# (E6): units added, listed, changed and shown with their people masked; a
# unit code off the pattern refused; a reveal needs --reason and is listed
# for the supervisor, not the clerk; the clerk's unmasked export refused,
# the admin's given; the data dir holds no phone number; a complaint naming
# a unit not in the archive refused with the near match.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

make_archive_key
start_deskd --archive-key "$tmp/archive.key"
add_users clerk:wang supervisor:sue
# Issue 11 (E6): a clerk reveals a number on duty by the published
# schedule: wang takes every shift of this month.
month=$(TZ=Asia/Shanghai date +%Y-%m)
last=$(TZ=Asia/Shanghai date -d "$month-01 +1 month -1 day" +%d)
for d in $(seq -w 1 "$last"); do
  for s in morning evening night; do printf '%s-%s,%s,front,wang\n' "$month" "$d" "$s"; done
done > "$tmp/rota.csv"
expect_rc 0 as sue "$desk" schedule import "$tmp/rota.csv" --month "$month"
expect_rc 0 as sue "$desk" schedule publish --month "$month"

expect_rc 0 "$desk" unit --help
expect_rc 0 "$desk" person reveal --help
has "--reason"
expect_rc 0 as wang "$desk" unit add 3-2-1201 --area 89.5 --status occupied
has "89.50 m²"
expect_rc 0 as wang "$desk" unit add 3-2-1202
expect_rc 1 as wang "$desk" unit add 3-2 --area 50
has "does not match the unit pattern"
expect_rc 0 as wang "$desk" unit set 3-2-1202 --status renovation --note "kitchen"
has "renovation"
expect_rc 0 as wang "$desk" unit list --prefix 3-2-
has "3-2-1201"; has "3-2-1202"
expect_rc 0 as wang "$desk" --json unit list --status renovation
has '"code":"3-2-1202"'; hasnt "3-2-1201"

expect_rc 0 as wang "$desk" person add --unit 3-2-1201 --name 王芳 --phone 13912345678 \
  --id-number 110101199003071234 --vehicle 京A12345 --move-in 2021-05-01
has "139\*\*\*\*5678"; hasnt 13912345678
id=$(sed -n 's/^person \([0-9]*\) .*/\1/p' "$tmp/out")
[ -n "$id" ] || fail "no person id"
expect_rc 0 as sue "$desk" unit show 3-2-1201
has "王芳"; has "139\*\*\*\*5678"; has "110\*\*\*\*\*\*\*\*\*\*\*1234"; hasnt 13912345678
expect_rc 0 as sue "$desk" --json person show "$id"
has '"phone":"139\*\*\*\*5678"'; hasnt 13912345678
expect_rc 0 as wang "$desk" person set "$id" --phone 15966667777 --note "prefers calls after 6pm"
has "159\*\*\*\*7777"

# A reveal needs a reason, and is on record for the supervisor.
expect_rc 2 as wang "$desk" person reveal "$id"
has "reason"
expect_rc 1 as wang "$desk" person reveal "$id" --reason " "
expect_rc 0 as wang "$desk" person reveal "$id" --reason "owner asked for a call back"
has 15966667777
expect_rc 4 as wang "$desk" person reveals
expect_rc 0 as sue "$desk" person reveals --person "$id"
has wang; has "owner asked for a call back"; hasnt 15966667777

# Unmasked export: the admin's, not the clerk's.
expect_rc 4 as wang "$desk" person export --unmasked
has "not permitted\|may not"
expect_rc 0 as wang "$desk" person export
has "159\*\*\*\*7777"; hasnt 15966667777
expect_rc 0 as admin "$desk" person export --unmasked
has 15966667777; has 110101199003071234

# E6: complaints name a unit of the archive once it has units.
expect_rc 1 as wang "$desk" complaint new --unit 3-2-1210 --name 王 --phone 13800000000 \
  --category noise --text "loud music"
has "near: 3-2-1201"

# Issue 11 (E6): a complaint's phone is masked for the desk too, in show
# and export; the call-back reveals it on record.
expect_rc 0 as wang "$desk" complaint new --unit 3-2-1201 --name 王 --phone 13700001234 \
  --category noise --text "loud music"
cid=$(tr -d '[:space:]' <"$tmp/out")
expect_rc 0 as wang "$desk" complaint show "$cid"
has "137\*\*\*\*1234"; hasnt 13700001234
expect_rc 0 as wang "$desk" export --kind complaint
has "137\*\*\*\*1234"; hasnt 13700001234
expect_rc 2 as wang "$desk" complaint reveal "$cid"
expect_rc 0 as wang "$desk" complaint reveal "$cid" --reason "calling back"
has 13700001234
expect_rc 0 as sue "$desk" person reveals
has "complaint:$cid"; hasnt 13700001234

# The data dir alone reveals nothing.
for n in 13912345678 15966667777 110101199003071234; do
  ! grep -r -q -a "$n" "$tmp/data" || fail "$n found in the data dir"
done
echo "ok"

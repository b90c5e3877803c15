#!/usr/bin/env bash
# test_deskd_help.sh BIN_DIR CERT_DIR - issue 13: the clocks and the
# [shifts] and [handover] sections are described by their areas now, and
# deskd --help still reads exactly as operators know it (the lines after the
# [server] keys, kept in deskd-help-sections.txt); the flags work before any
# store is opened (init, verify read the settings too), and a bad one is
# refused with its reason, exit 2.
source "$(dirname "$0")/lib.sh" "$@"

expect_rc 0 "$bin/deskd" --help
sed -n '/^  --clock NAME=DURATION/,$p' "$tmp/out" > "$tmp/sections"
diff -u "$(dirname "$0")/deskd-help-sections.txt" "$tmp/sections" ||
  fail "deskd --help's clocks and sections changed"

# Each section from the file and from its flag, read by verify (no server).
printf '[clocks]\nrepair.no_engineer = 20s\n[shifts]\nposts = front,lobby\n[handover]\nitems = keys:12\n' \
  > "$tmp/deskd.ini"
expect_rc 0 "$bin/deskd" init --data "$tmp/data" --admin admin --config "$tmp/deskd.ini"
expect_rc 0 "$bin/deskd" verify --data "$tmp/data" --config "$tmp/deskd.ini" \
  --clock complaint.reply_due=30m --posts a,b --handover-items pen:1
has 'ok,'
expect_rc 2 "$bin/deskd" verify --data "$tmp/data" --clock repair.no_engineer
has 'takes NAME=DURATION'
expect_rc 2 "$bin/deskd" verify --data "$tmp/data" --clock no.such=1s
has "unknown clock setting 'no.such'"
expect_rc 2 "$bin/deskd" verify --data "$tmp/data" --posts a,a
has "'a' twice"
expect_rc 0 "$bin/deskd" verify --data "$tmp/data" --before-first-shift off
expect_rc 2 "$bin/deskd" verify --data "$tmp/data" --before-first-shift maybe
has "before_first_shift: 'maybe' is not on or off"
printf '[handover]\nitems = keys\n' > "$tmp/bad.ini"
expect_rc 2 "$bin/deskd" verify --data "$tmp/data" --config "$tmp/bad.ini"
has 'bad.ini'
echo "ok"

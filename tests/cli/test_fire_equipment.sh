#!/usr/bin/env bash
# test_fire_equipment.sh BIN_DIR CERT_DIR - the fire equipment register (G4),
# the kind docs/ARCHITECTURE.md's recipe added (proto message, its rules'
# row, this test, the CLI's row; nothing else): added by a desk, its type
# one G4 tests, one in service per code; a test keeps it in service and
# stamps the last one; retired with a reason; a watcher sees it; a file of
# equipment imports exactly once by ref and exports; an engineer may not
# write it; and the log verifies.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh" "$@"

start_deskd
add_users clerk:wang supervisor:sue engineer:gong
watch_as sue --type fire-equipment. --since 0
reg() { as wang "$desk" register fire-equipment "$@"; }

# Added; the type is checked against G4's; one code in service at a time.
expect_rc 0 reg add --code XF-001 --type extinguisher --location "1F 大堂"
e1=$(cat "$tmp/out")
[[ "$e1" =~ ^[0-9]+$ ]] || fail "add: no id: $e1"
expect_rc 1 reg add --code XF-002 --type bucket --location 2F
has "type: 'bucket' is not fire equipment G4 tests"
expect_rc 1 reg add --code XF-001 --type extinguisher --location 3F
has "XF-001"
expect_rc 1 reg add --type pump --location B1
has "code"
wait_for 5 "fire-equipment.added"

# A test stamps the last one and keeps it in service; it needs a result.
expect_rc 1 reg test "$e1"
expect_rc 0 reg test "$e1" --text "压力正常"
expect_rc 0 reg show "$e1"
grep -Eq "^fire-equipment $e1 +in-service$" "$tmp/out" || fail "after test: $(cat "$tmp/out")"
grep -Eq "^last result +压力正常$" "$tmp/out" || fail "last result: $(cat "$tmp/out")"
grep -Eq "^last test by +wang$" "$tmp/out" || fail "last test by: $(cat "$tmp/out")"
wait_for 5 "fire-equipment.tested"

# An engineer reads the registers but does not write them.
expect_rc 4 as gong "$desk" register fire-equipment add --code XF-009 \
  --type detector --location 5F

# Retired with a reason; its code is free again.
expect_rc 0 reg retire "$e1" --text "过期报废"
expect_rc 0 reg add --code XF-001 --type extinguisher --location "1F 大堂"
expect_rc 0 reg list --open
has "XF-001"
grep -c "XF-001" "$tmp/out" | grep -qx 1 || fail "list --open: $(cat "$tmp/out")"

# An office's equipment list: imported once by ref, again as duplicates.
cat > "$tmp/equipment.csv" <<'EOF'
ref,code,type,location
eq-1,HY-01,hydrant,B1 泵房
eq-2,SD-0101,detector,1F 走廊
EOF
expect_rc 0 as wang "$desk" import --kind fire-equipment "$tmp/equipment.csv"
has "imported 2, skipped 0 as duplicates, rejected 0"
expect_rc 0 as wang "$desk" import --kind fire-equipment "$tmp/equipment.csv"
has "imported 0, skipped 2 as duplicates, rejected 0"
expect_rc 0 as wang "$desk" export --kind fire-equipment --format jsonl
[ "$(wc -l < "$tmp/out")" -eq 4 ] || fail "export: $(cat "$tmp/out")"
has '"code":"SD-0101"'

stop_deskd
deskd_verify

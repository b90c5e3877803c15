#!/usr/bin/env bash
# test_import_cli.sh BIN_DIR CERT_DIR - bulk import and export (issue 6, H3 H4)
# through the desk CLI against a real deskd: every example file of
# scripts/examples; the bad inputs (ragged row, Latin-1, BOM and CRLF, a
# JSON line that is not an object, an unknown column, an unterminated
# quote, a 20 MB field, a bad date, duplicate refs in one file, a row
# without ref); --dry-run; the rejects file; exit codes; export and import
# back (duplicates on the same server, the same records on a fresh one);
# and desk import killed mid-way, then run again: every row exactly once.
source "$(dirname "$0")/lib.sh" "$@"
ex=$(cd "$(dirname "$0")/../../scripts/examples" && pwd)

make_archive_key
start_deskd --archive-key "$tmp/archive.key"
add_users clerk:wang
imp() { as admin "$desk" import "$@"; }
# count KIND: how many records an export holds.
count() { as admin "$desk" export --kind "$1" --format jsonl | wc -l; }

# Every example file, the kind inferred from its columns.
expect_rc 0 imp "$ex/unit.csv"
has "the columns are those of a unit"
has "imported 3, skipped 0 as duplicates, rejected 0"
expect_rc 0 imp "$ex/person.csv" --kind person
has "imported 3, skipped 0 as duplicates, rejected 0"
# Issue 11, C5: a move-in day as the CLI takes it; none exports empty, never 0.
printf 'ref,unit,kind,name,phone,move_in\nmv-1,3-2-1201,owner,新业主,13800000011,2020-08-01\nmv-2,3-2-1201,tenant,无日期,13800000012,\n' \
  >"$tmp/movein.csv"
expect_rc 0 imp "$tmp/movein.csv" --kind person
has "imported 2, skipped 0 as duplicates, rejected 0"
as admin "$desk" export --kind person --format jsonl >"$tmp/people.jsonl"
grep '"mv-1"' "$tmp/people.jsonl" | grep -q '"move_in":"2020-08-01"' ||
  fail "move_in 2020-08-01: $(grep mv-1 "$tmp/people.jsonl")"
grep '"mv-2"' "$tmp/people.jsonl" | grep -q '"move_in":"0"\|"move_in":0' &&
  fail "an unset move_in exports as 0: $(grep mv-2 "$tmp/people.jsonl")"
expect_rc 0 imp "$ex/complaint.csv"
has "imported 3, skipped 0 as duplicates, rejected 0"
expect_rc 0 imp "$ex/complaint.jsonl"
has "imported 2, skipped 0 as duplicates, rejected 0"
expect_rc 0 imp "$ex/visitor.csv" --kind visitor
has "imported 2,"
expect_rc 0 imp "$ex/key.csv" --kind key
has "imported 2,"
# The other kinds' examples, each inferred from its columns (key-count
# after key.csv: it counts the cabinet against the key register; repair
# after fee.csv: an order is priced by the schedule, D2).
for k in fee repair visitor-permit pass key-count parking worker renovation \
    hotwork construction cleaning note special; do
  expect_rc 0 imp "$ex/$k.csv"
  has "the columns are those of a $k (--kind $k)"
  has "skipped 0 as duplicates, rejected 0"
done
# Issue 11 (C9): a unit, a person and a register entry that the file says
# wang wrote on 2 November, imported by the admin: recorded as the admin's
# import, from its file and ref; wang and the date only "reported as".
printf 'ref,code,area_dm2,created_by,created_ms\nprov-u,9-9-909,8000,wang,2026-11-02 10:05\n' \
  >"$tmp/prov-unit.csv"
printf 'ref,unit,kind,name,phone,created_by,created_ms\nprov-p,9-9-909,owner,王业主,13800000009,wang,2026-11-02 10:05\n' \
  >"$tmp/prov-person.csv"
printf 'ref,name,id_type,id_number,unit,purpose,consent,consent_by,phone,created_by,created_ms\nprov-v,李四,身份证,110101199001011234,9-9-909,送货,present,王业主,13700000009,wang,2026-11-02 10:05\n' \
  >"$tmp/prov-visitor.csv"
for k in unit person visitor; do
  expect_rc 0 imp "$tmp/prov-$k.csv" --kind $k
  has "imported 1, skipped 0 as duplicates, rejected 0"
done
# The id of the record imported with REF, from an export.
id_of() { as admin "$desk" export --kind "$1" --format jsonl | grep "\"$2\"" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'; }
for show in "unit show 9-9-909:unit" "person show $(id_of person prov-p):person" \
    "visitor show $(id_of visitor prov-v):visitor"; do
  k=${show##*:}
  expect_rc 0 as admin "$desk" ${show%:*}
  grep -q "^imported .* by admin from .*/prov-$k.csv, ref prov-${k:0:1} " "$tmp/out" ||
    fail "$k show: not imported by admin: $(cat "$tmp/out")"
  grep -q "^reported as *wang, 2026-11-02 10:05" "$tmp/out" ||
    fail "$k show: not reported as wang: $(cat "$tmp/out")"
done

# A clerk may import complaints too (complaint write).
expect_rc 0 as wang "$desk" import "$ex/complaint.csv" --json
has '"imported":0' && has '"duplicates":3' && has '"kind":"complaint"'

# The library's example program, twice: stored once.
DESK_USER=admin DESK_PASSWORD=admin-pass-1 expect_rc 0 "$bin/import_example"
has "imported 3, skipped 0 as duplicates, rejected 0"
DESK_USER=admin DESK_PASSWORD=admin-pass-1 expect_rc 0 "$bin/import_example"
has "imported 0, skipped 3 as duplicates, rejected 0"

# Exactly once: the same file again adds nothing.
expect_rc 0 imp "$ex/complaint.csv"
has "imported 0, skipped 3 as duplicates, rejected 0"
[ "$(count complaint)" -eq 8 ] || fail "complaints: $(count complaint)"

# Columns: an unknown one refuses the file before anything is sent.
printf 'ref,unit,complainant,phone,category,text,colour\nx1,3-2-1201,a,13800000001,c,t,red\n' >"$tmp/unknown.csv"
expect_rc 2 imp "$tmp/unknown.csv" --kind complaint
has "column 'colour' is not a field of a complaint" && has "event_time_ms"
# No --kind and columns that fit several kinds: name them.
printf 'ref,unit,name\nx1,3-2-1201,a\n' >"$tmp/ambiguous.csv"
expect_rc 2 imp "$tmp/ambiguous.csv"
has "give --kind" && has "person"
[ "$(count complaint)" -eq 8 ] || fail "an unknown column stored rows"

# Bad rows: each is a reject with its line, field and reason; the rest go
# on; exit 1.
{
  printf '\xef\xbb\xbfref,unit,complainant,phone,category,text,event_time_ms\r\n'
  printf 'b1,3-2-1201,ok one,13800000001,noise,fine,2026-01-01 08:30\r\n'
  printf 'b2,3-2-1201,ragged,13800000001\r\n'
  printf 'b3,3-2-1201,caf\xe9,13800000001,noise,latin-1,\r\n'
  printf 'b4,3-2-1201,bad date,13800000001,noise,t,2026-13-45\r\n'
  printf 'b5,3-2-1201,no phone,,noise,t,\r\n'
  printf 'b1,3-2-1201,same ref,13800000001,noise,dup in the file,\r\n'
  printf ',3-2-1201,no ref,13800000001,noise,t,\r\n'
  printf 'b6,3-2-1201,"quoted, with ""quotes""\r\nand a line end",13800000001,noise,multi,\r\n'
} >"$tmp/bad.csv"
expect_rc 1 imp "$tmp/bad.csv" --kind complaint --rejects "$tmp/rej.csv"
has "imported 2, skipped 1 as duplicates, rejected 5"
head -1 "$tmp/rej.csv" | grep -qx 'line,field,reason' || fail "rejects header: $(cat "$tmp/rej.csv")"
grep -q '^3,row,"4 fields, the header has 7' "$tmp/rej.csv" || fail "ragged: $(cat "$tmp/rej.csv")"
grep -q '^4,complainant,not UTF-8' "$tmp/rej.csv" || fail "latin-1: $(cat "$tmp/rej.csv")"
grep -q "^5,event_time_ms,'2026-13-45' is not a time" "$tmp/rej.csv" || fail "date: $(cat "$tmp/rej.csv")"
grep -q '^6,phone,' "$tmp/rej.csv" || fail "phone: $(cat "$tmp/rej.csv")"
grep -q '^8,ref,' "$tmp/rej.csv" || fail "no ref: $(cat "$tmp/rej.csv")"
[ "$(wc -l <"$tmp/rej.csv")" -eq 6 ] || fail "rejects: $(cat "$tmp/rej.csv")"
as admin "$desk" export --kind complaint --format jsonl >"$tmp/all.jsonl"
grep -q '"ref":"b1".*"complainant":"ok one".*"event_time_ms":"2026-01-01 08:30:00' "$tmp/all.jsonl" ||
  fail "BOM/CRLF row: $(grep b1 "$tmp/all.jsonl")"
grep -q '"complainant":"quoted, with \\"quotes\\"\\r\\nand a line end"' "$tmp/all.jsonl" ||
  fail "quoted field: $(grep b6 "$tmp/all.jsonl")"
# Without --rejects the rejects go to stderr, a line each.
expect_rc 1 imp "$tmp/bad.csv" --kind complaint
has "bad.csv:3: row: 4 fields, the header has 7"
has "imported 0, skipped 3 as duplicates, rejected 5"

# A row without ref is accepted with --allow-no-ref.
printf 'ref,unit,complainant,phone,category,text\n,3-2-1201,no ref,13800000001,noise,t\n' >"$tmp/noref.csv"
expect_rc 1 imp "$tmp/noref.csv" --kind complaint
has "ref: required"
expect_rc 0 imp "$tmp/noref.csv" --kind complaint --allow-no-ref
has "imported 1,"

# JSON Lines: a line that is not an object; the rest go on.
printf '{"ref":"j1","unit":"3-2-1201","complainant":"j","phone":"13800000001","category":"noise","text":"t"}\n[1,2]\n"text"\n{"ref":"j2","unit":"3-2-1201","complainant":"k","phone":"13800000001","category":"noise","text":"t","vehicles":["x"]}\n' >"$tmp/bad.jsonl"
expect_rc 1 imp "$tmp/bad.jsonl" --kind complaint --rejects "$tmp/rej2.csv"
has "imported 1, skipped 0 as duplicates, rejected 3"
grep -q '^2,row,"a line must be one JSON object' "$tmp/rej2.csv" || fail "jsonl: $(cat "$tmp/rej2.csv")"
grep -q '^4,vehicles,not a column' "$tmp/rej2.csv" || fail "jsonl column: $(cat "$tmp/rej2.csv")"

# A 20 MB field is one reject; an unterminated quote stops the import
# after what was read.
{ printf 'ref,unit,complainant,phone,category,text\nh1,3-2-1201,huge,13800000001,noise,'
  head -c 20000000 /dev/zero | tr '\0' x
  printf '\nh2,3-2-1201,after,13800000001,noise,t\nh3,3-2-1201,"open quote,13800000001,noise,t\nh4,3-2-1201,x,1,noise,t\n'
} >"$tmp/huge.csv"
expect_rc 1 imp "$tmp/huge.csv" --kind complaint --rejects "$tmp/rej3.csv"
grep -q '^2,text,.*over the limit' "$tmp/rej3.csv" || fail "20 MB: $(cat "$tmp/rej3.csv")"
grep -q '^4,file,a quote opened on line 4 is never closed' "$tmp/rej3.csv" || fail "quote: $(cat "$tmp/rej3.csv")"
has "imported 1, skipped 0 as duplicates, rejected 2"

# --dry-run checks every row and stores none.
before=$(count complaint)
sed 's/^c-2025-/dry-/' "$ex/complaint.csv" >"$tmp/dry.csv"
expect_rc 0 imp "$tmp/dry.csv" --dry-run --json
has '"dry_run":true' && has '"imported":3'
[ "$(count complaint)" -eq "$before" ] || fail "--dry-run stored rows"

# Export and import back: on the same server every row is a duplicate ...
as admin "$desk" export --kind complaint --format jsonl >"$tmp/c.jsonl"
n=$(wc -l <"$tmp/c.jsonl")
as admin "$desk" export --kind complaint | as admin "$desk" import --kind complaint - \
  >"$tmp/out" 2>"$tmp/err" || fail "round trip: $(cat "$tmp/err")"
has "imported 0, skipped $n as duplicates, rejected 0"
DESK_USER=admin DESK_PASSWORD=admin-pass-1 XDG_CONFIG_HOME=$tmp/cfg-admin \
  expect_rc 0 "$desk" import - <"$tmp/c.jsonl"
has "imported 0, skipped $n as duplicates, rejected 0"
# ... --since keeps the later ones ...
as admin "$desk" export --kind complaint --since 2020-01-01 --format jsonl | wc -l | grep -qx "$n" ||
  fail "--since 2020"
[ "$(as admin "$desk" export --kind complaint --since 2099-12-31 | wc -l)" -eq 1 ] ||
  fail "--since 2999: not just the header"
# Where the rows go can fail: a reader gone before the first row (| head
# that has had enough) ends the export quietly and well; a disk that fills
# is said and fails it.
expect_rc 0 as admin python3 -c 'import os, subprocess, sys
r, w = os.pipe()
os.close(r)
sys.exit(subprocess.call(sys.argv[1:], stdout=w))' "$desk" export --kind complaint
hasnt "desk export"
set +e
as admin "$desk" export --kind complaint --format jsonl >/dev/full 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "export to a full disk exited $rc: $(cat "$tmp/err")"
grep -q "desk export: No space left on device" "$tmp/err" ||
  fail "export to a full disk: $(cat "$tmp/err")"

# ... and a fresh server gets the same records (deskd's own fields aside).
for k in unit person complaint visitor key; do
  as admin "$desk" export --kind $k --format csv --unmasked >"$tmp/x-$k.csv" 2>/dev/null ||
    as admin "$desk" export --kind $k --format csv >"$tmp/x-$k.csv"
done
stop_deskd
mv "$tmp/data" "$tmp/data-1"
start_deskd --archive-key "$tmp/archive.key"
for k in unit person complaint visitor key; do
  expect_rc 0 imp "$tmp/x-$k.csv" --kind $k
  has "rejected 0"
  as admin "$desk" export --kind $k --format csv --unmasked >"$tmp/y-$k.csv" 2>/dev/null ||
    as admin "$desk" export --kind $k --format csv >"$tmp/y-$k.csv"
done
# The form's fields are the same; every record is recorded by its
# importer, now, from its file, and its creation is kept as reported (C9,
# issue 11: units, persons and registers too, no longer only complaints).
for k in complaint visitor key unit person; do
  cols=$(head -1 "$tmp/x-$k.csv" | tr , '\n' |
    grep -nvxE 'id|revision|updated_ms|updated_by|reply_due_ms|people|unit_id|import_file|import_ref|reported_by|reported_ms|created_ms|created_by' |
    cut -d: -f1 | paste -sd,)
  python3 - "$tmp/x-$k.csv" "$tmp/y-$k.csv" "$cols" <<'EOF' || fail "$k: the records differ after a round trip"
import csv, sys
cols = [int(c) - 1 for c in sys.argv[3].split(',')]
a, b = ([[r[i] for i in cols] for r in csv.reader(open(p, newline=''))] for p in sys.argv[1:3])
if a != b:
    for x, y in zip(a, b):
        if x != y: print(x, y, sep='\n', file=sys.stderr); break
    sys.exit(1)
EOF
done
for k in complaint visitor key unit person; do
  python3 - "$tmp/x-$k.csv" "$tmp/y-$k.csv" <<'EOF' || fail "$k: not reported as its first recorder"
import csv, sys
x, y = (list(csv.DictReader(open(p, newline=''))) for p in sys.argv[1:3])
# An imported record exported keeps what its file first reported.
for a, b in zip(x, y):
    was = (a['reported_by'], a['reported_ms'])
    if was == ('', ''):
        was = (a['created_by'], a['created_ms'])
    if (b['reported_by'], b['reported_ms'], b['created_by'], b['import_ref']) != \
       was + ('admin', a['ref']):
        print(a, b, sep='\n', file=sys.stderr); sys.exit(1)
EOF
done

# Killed mid-import (kill -9 once rows are stored), then run again: each
# row is stored exactly once and the re-run says how many it skipped.
rows=100000
awk -v n=$rows 'BEGIN { print "ref,unit,complainant,phone,channel,category,text";
  for (i = 1; i <= n; i++) printf "k%07d,3-2-1201,业主%d,13800000001,phone,noise,%s\n", i, i,
    "楼上装修噪音晚上十点以后还在施工 the neighbours upstairs are drilling again" }' >"$tmp/big.csv"
before=$(count complaint)
DESK_USER=admin DESK_PASSWORD=admin-pass-1 XDG_CONFIG_HOME=$tmp/cfg-admin \
  "$desk" import "$tmp/big.csv" >/dev/null 2>&1 &
ipid=$!
for _ in $(seq 400); do
  [ "$(count complaint)" -gt "$before" ] && break
  sleep 0.025
done
kill -9 $ipid 2>/dev/null || true
wait $ipid 2>/dev/null || true
partial=$(( $(count complaint) - before ))
[ "$partial" -gt 0 ] || fail "nothing stored before the kill"
expect_rc 0 imp "$tmp/big.csv"
has "imported $(( rows - partial )), skipped $partial as duplicates, rejected 0"
as admin "$desk" export --kind complaint | cut -d, -f1 | grep '^k' | sort | uniq -d >"$tmp/dups"
[ ! -s "$tmp/dups" ] || fail "stored twice: $(head "$tmp/dups")"
[ "$(count complaint)" -eq $(( before + rows )) ] || fail "after the re-run: $(count complaint)"
echo "killed after $partial of $rows rows; the re-run stored the rest" >&2

# The fee schedule (D2): an item is its own key, so a re-run is all
# duplicates and a new price is a change; an export imports back.
printf 'item,price_cents,unit\n换锁芯,80,个\n疏通下水道,50,次\n' >"$tmp/fee.csv"
expect_rc 0 imp "$tmp/fee.csv"
has "imported 2, skipped 0 as duplicates, rejected 0"
expect_rc 0 imp "$tmp/fee.csv"
has "imported 0, skipped 2 as duplicates, rejected 0"
printf 'item,price_cents,unit\n换锁芯,90,个\n' >"$tmp/fee2.csv"
expect_rc 0 imp "$tmp/fee2.csv" --kind fee
has "imported 1, skipped 0 as duplicates"
expect_rc 0 as admin "$desk" export --kind fee
has "换锁芯,换锁芯,90.00,个,"
[ "$(as admin "$desk" export --kind fee --since 2099-12-31 | wc -l)" -eq 1 ] ||
  fail "fee --since 2999: not just the header"
[ "$(as admin "$desk" export --kind fee --since 2020-01-01 | wc -l)" -eq 3 ] ||
  fail "fee --since 2020: not both items"
# What deskd makes itself is exported, not imported.
expect_rc 0 as admin "$desk" export --kind alert
expect_rc 2 imp "$tmp/fee.csv" --kind alert
has "exported, not imported"
# An alert changes when raised, taken or cleared: --since reads those.
# An open complaint imported now owes a reply in 1 s, here.
stop_deskd
start_deskd --archive-key "$tmp/archive.key" --clock complaint.reply_due=1s
printf 'ref,unit,complainant,phone,category,text,status\nopen-1,3-2-1201,李先生,13900000001,noise,still drilling,open\n' \
  >"$tmp/open.csv"
expect_rc 0 imp "$tmp/open.csv" --kind complaint
for _ in $(seq 100); do
  [ "$(as admin "$desk" export --kind alert | wc -l)" -gt 1 ] && break
  sleep 0.1
done
alerts=$(as admin "$desk" export --kind alert | wc -l)
[ "$alerts" -gt 1 ] || fail "no alert 10 s after a 1 s reply clock"
[ "$(as admin "$desk" export --kind alert --since 2099-12-31 | wc -l)" -eq 1 ] ||
  fail "alert --since 2999: not just the header"
[ "$(as admin "$desk" export --kind alert --since 2020-01-01 | wc -l)" -eq "$alerts" ] ||
  fail "alert --since 2020: not every alert"

stop_deskd
deskd_verify
echo "PASS test_import_cli"

#!/usr/bin/env bash
# test_times_round_trip.sh BIN_DIR CERT_DIR - issue 12, times and the round
# trip: records of every kind that imports, with their times at the edges
# of the one range (PROTOCOL.md 13.4) as Asia/Shanghai sees them (the first
# instant is 2000-01-01 08:00 there, the last 2100-01-01 07:59:59.999), near
# midnight at a year's end, and unset; exported, imported into a fresh
# deskd, exported again: the same.  A time outside the range (year 9999 UTC
# is year 10000 in Shanghai; 1999; 2100 UTC) never gets stored, so nothing
# stored fails to export and import back.
source "$(dirname "$0")/lib.sh" "$@"
ex=$(cd "$(dirname "$0")/../../scripts/examples" && pwd)

make_archive_key
start_deskd --archive-key "$tmp/archive.key"
add_users clerk:wang
imp() { as admin "$desk" import "$@"; }
# exp KIND FILE: the kind's records, with their numbers where it has any.
exp() { as admin "$desk" export --kind "$1" --format csv --unmasked >"$2" 2>/dev/null ||
  as admin "$desk" export --kind "$1" --format csv >"$2"; }
# Every kind that imports, in an order whose records exist when named (a
# unit before its people, the fee schedule before priced work, the keys
# before their count).
kinds="unit person fee complaint repair visitor key key-count parking worker
  renovation hotwork construction cleaning note special pass visitor-permit"

# The edge rows: each example's first row again, its times (and move-in
# day) at an edge; the columns of a row a few ms or hours apart, in order,
# as a from/to pair needs.
mkdir "$tmp/edge"
python3 - "$ex" "$tmp/edge" $kinds <<'EOF'
import csv, datetime, os, sys
ex, out = sys.argv[1], sys.argv[2]
H = 3600000
MIN, END = 946684800000, 4102444800000          # wire.h
EPOCH = datetime.datetime(1970, 1, 1)
def ms(*t): return int((datetime.datetime(*t) - EPOCH).total_seconds()) * 1000 - 8 * H
def shanghai(v):
    t = EPOCH + datetime.timedelta(milliseconds=v + 8 * H)
    return t.strftime('%Y-%m-%d %H:%M:%S.') + '%03d+08:00' % (v % 1000)
edges = {            # the n time columns' values, in order
    'min': lambda i, n: MIN + i * H,
    'max': lambda i, n: END - 1 - (n - 1 - i) * H,
    'ye': lambda i, n: ms(2099, 1, 1) - 1 + i,  # 23:59:59.999, midnight, ...
    'unset': None,
}
days = {'min': '2000-01-01', 'max': '2099-12-31', 'ye': '2098-12-31', 'unset': ''}
# Times a form cannot leave unset: at the year's end in the unset row.
required = {'parking': {'valid_to_ms'},
            'renovation': {'original_end_ms', 'new_end_ms'},
            'hotwork': {'from_ms', 'to_ms'}, 'construction': {'from_ms', 'to_ms'},
            'worker': {'valid_to_ms'}, 'visitor-permit': {'until_ms'}}
# Times a form takes only ahead of now (E3): no row at the range's start.
ahead = {'visitor-permit'}
for kind in sys.argv[3:]:
    rows = list(csv.reader(open(os.path.join(ex, kind + '.csv'), newline='')))
    head, row = rows[0], rows[1]
    times = [i for i, c in enumerate(head) if c.endswith('_ms')]
    if not times and 'move_in' not in head:
        continue
    w = csv.writer(open(os.path.join(out, kind + '.csv'), 'w', newline=''))
    w.writerow(head)
    for e, f in edges.items():
        if e == 'min' and kind in ahead:
            continue
        r = list(row)
        r[0] = 'rt-%s-%s' % (e, row[0])
        for j, i in enumerate(times):
            if f is not None:
                r[i] = shanghai(f(j, len(times)))
            elif head[i] in required.get(kind, ()):
                r[i] = shanghai(edges['ye'](j, len(times)))
            else:
                r[i] = ''
        if 'move_in' in head:
            r[head.index('move_in')] = days[e]
        if 'plate' in head:           # one current permit a plate (E5)
            r[head.index('plate')] = '京A1234' + str(list(edges).index(e))
        w.writerow(r)
EOF
for k in $kinds; do
  expect_rc 0 imp "$ex/$k.csv" --kind $k
  has "rejected 0"
  if [ -f "$tmp/edge/$k.csv" ]; then
    expect_rc 0 imp "$tmp/edge/$k.csv" --kind $k
    has "imported $(( $(wc -l <"$tmp/edge/$k.csv") - 1 )), skipped 0 as duplicates, rejected 0"
  fi
done

# Register entries past their first state: they come back in it, with
# their steps' times, people and texts (replayed through the actions).
step() { expect_rc 0 as admin "$desk" register "$@"; }
step visitor out 1
step visitor-permit revoke 1 --text 业主收回
step pass approve 1
step pass approve 2
step pass use 2 --text 东门放行
# (A key out or back would change what the counts, recomputed on import,
# found: a new key, retired, leaves them as they were.)
step key add --tag K-7701 --slot Z-01 --unit 3-2-1201 --source deposited
step key retire 3 --text 锁已更换
step parking cancel 1 --text 车位退租
# A renewal (E5): the permit it renews is renewed again when it imports.
expect_rc 0 as admin "$desk" parking renew 2 --valid-to +60d
step worker leave 1
step renovation approve 1 --text 同意延期
step hotwork approve 1
step hotwork approve 2
step hotwork close 2 --text 完工无火情
step construction approve 1
step cleaning done 1 --text 已清洁
step note deliver 1
step note deliver 2
step note read 2
step special close 1 --text 已处理

# A clerk brings back no entry the duty officer signs (E1), a state no
# action reaches, nor a step without what it needs: each row refused with
# its field and why, nothing stored.
{
  echo 'ref,unit,owner,identity_check,items,carrier,state'
  echo 'rs-ps-1,3-2-1201,陈业主,身份证,旧沙发,李师傅,approved'
  echo 'rs-ps-2,3-2-1201,陈业主,身份证,旧沙发,李师傅,flown'
} >"$tmp/rs-pass.csv"
printf 'ref,tag,slot,unit,source,state,reason
rs-k-1,K-9901,Z-01,3-2-1201,deposited,out,换锁
' >"$tmp/rs-key.csv"
expect_rc 1 as wang "$desk" import "$tmp/rs-pass.csv" --kind pass --rejects "$tmp/rej.csv"
has "imported 0, skipped 0 as duplicates, rejected 2"
grep -q '^2,state,a clerk may not .*pass approve is the duty officer.s (E1)' "$tmp/rej.csv" ||
  fail "a clerk's approved pass: $(cat "$tmp/rej.csv")"
grep -q "^3,state,\"\?no pass action leads to 'flown' (it imports as: pending, approved, rejected, used)" "$tmp/rej.csv" ||
  fail "a state no action reaches: $(cat "$tmp/rej.csv")"
expect_rc 1 as wang "$desk" import "$tmp/rs-key.csv" --kind key --rejects "$tmp/rej.csv"
grep -q '^2,holder,key out needs the holder' "$tmp/rej.csv" ||
  fail "a key out to nobody: $(cat "$tmp/rej.csv")"

# A complaint replied to, at the range's edges: its last reply is when the
# file says, not when it was imported.
{
  echo 'ref,source,unit,complainant,phone,category,event_time_ms,text,validity,invalid_reason,result,last_reply_ms,status'
  echo 'rt-reply-min,customer,3-2-1201,陈业主,13800000001,noise,2000-01-01 08:00+08:00,噪音,invalid,不属实,已答复,2000-01-01 09:00:00+08:00,closed'
  echo 'rt-reply-max,customer,3-2-1201,陈业主,13800000001,noise,2100-01-01 06:59:59.999+08:00,噪音,invalid,不属实,已答复,2100-01-01 07:59:59.999+08:00,closed'
} >"$tmp/replied.csv"
expect_rc 0 imp "$tmp/replied.csv" --kind complaint
has "imported 2, skipped 0 as duplicates, rejected 0"

# Out of the range: refused with the range, before anything is sent, and
# nothing stored.
exp complaint "$tmp/before.csv"
{
  echo 'ref,source,unit,complainant,phone,category,event_time_ms,text'
  echo 'out-1,customer,3-2-1201,陈业主,13800000001,noise,9999-12-31 23:00:00Z,year 10000 in Shanghai'
  echo 'out-2,customer,3-2-1201,陈业主,13800000001,noise,1999-12-31 23:59:59.999Z,before the range'
  echo 'out-3,customer,3-2-1201,陈业主,13800000001,noise,2100-01-01 00:00Z,after it'
} >"$tmp/out.csv"
expect_rc 1 imp "$tmp/out.csv" --kind complaint --rejects "$tmp/rej.csv"
has "imported 0, skipped 0 as duplicates, rejected 3"
[ "$(grep -c '^[0-9],event_time_ms,.*is not a time .*from 2000-01-01 00:00 to 2099-12-31 23:59 UTC' "$tmp/rej.csv")" -eq 3 ] ||
  fail "out of range: $(cat "$tmp/rej.csv")"
exp complaint "$tmp/after.csv"
cmp -s "$tmp/before.csv" "$tmp/after.csv" || fail "an out-of-range row was stored"
printf 'ref,unit,kind,name,move_in\nout-p,3-2-1201,owner,某人,1999-12-31\n' >"$tmp/outp.csv"
expect_rc 1 imp "$tmp/outp.csv" --kind person --rejects "$tmp/rej.csv"
grep -q '^2,move_in,.*is not a day (YYYY-MM-DD) from 2000-01-01 to 2099-12-31' "$tmp/rej.csv" ||
  fail "move_in out of range: $(cat "$tmp/rej.csv")"

# Export, a fresh deskd, import, export again.
for k in $kinds; do exp $k "$tmp/x-$k.csv"; done
# The steps are in the export, and (below) so after the round trip.
for want in visitor:out visitor-permit:revoked pass:approved pass:used key:retired \
    parking:cancelled parking:renewed worker:left renovation:approved hotwork:closed \
    construction:approved cleaning:done note:delivered note:read special:closed; do
  grep -q ",${want#*:}," "$tmp/x-${want%%:*}.csv" || fail "no ${want#*:} in $(cat "$tmp/x-${want%%:*}.csv")"
done
# The edges as exported: in Shanghai, to the millisecond; unset is empty.
grep -q '^rt-min-c-2025-0001,.*,2000-01-01 08:00:00+08:00,' "$tmp/x-complaint.csv" ||
  fail "the first time: $(grep rt-min "$tmp/x-complaint.csv")"
grep -q '^rt-max-c-2025-0001,.*,2100-01-01 07:59:59.999+08:00,' "$tmp/x-complaint.csv" ||
  fail "the last time: $(grep rt-max "$tmp/x-complaint.csv")"
grep -q '^rt-reply-max,.*,2100-01-01 07:59:59.999+08:00,' "$tmp/x-complaint.csv" ||
  fail "the last reply's time: $(grep rt-reply "$tmp/x-complaint.csv")"
grep -q '2098-12-31 23:59:59.999+08:00,2099-01-01 00:00:00+08:00' "$tmp/x-parking.csv" ||
  fail "year end: $(grep rt-ye "$tmp/x-parking.csv")"
python3 - "$tmp/x-person.csv" <<'EOF' || fail "person move_in: $(grep rt- "$tmp/x-person.csv")"
import csv, sys
got = {r['ref']: r['move_in'] for r in csv.DictReader(open(sys.argv[1], newline=''))}
want = {'rt-min-p-001': '2000-01-01', 'rt-max-p-001': '2099-12-31',
        'rt-ye-p-001': '2098-12-31', 'rt-unset-p-001': ''}
sys.exit(any(got.get(k) != v for k, v in want.items()))
EOF
stop_deskd
mv "$tmp/data" "$tmp/data-1"
start_deskd --archive-key "$tmp/archive.key"
for k in $kinds; do
  expect_rc 0 imp "$tmp/x-$k.csv" --kind $k
  has "skipped 0 as duplicates, rejected 0"
  exp $k "$tmp/y-$k.csv"
done
# Every column but deskd's own (ids, who and when it was recorded here,
# the import's file and ref, a clock recomputed from now) is the same.
for k in $kinds; do
  python3 - "$tmp/x-$k.csv" "$tmp/y-$k.csv" <<'EOF' || fail "$k: the records differ after a round trip"
import csv, sys
own = {'id', 'revision', 'created_ms', 'created_by', 'updated_ms', 'updated_by',
       'import_file', 'import_ref', 'reported_by', 'reported_ms', 'reply_due_ms',
       'people', 'unit_id'}
a, b = ([{c: v for c, v in r.items() if c not in own}
         for r in csv.DictReader(open(p, newline=''))] for p in sys.argv[1:3])
if len(a) != len(b) or a != b:
    for x, y in zip(a, b):
        if x != y:
            print({c: (x[c], y.get(c)) for c in x if x[c] != y.get(c)}, file=sys.stderr)
            break
    sys.exit(1)
EOF
done

#!/usr/bin/env bash
# console_bench.sh BIN_DIR CERT_DIR [IDLE_SECONDS] - the figures of
# `desk console` (issue 16), run by hand, not by ctest:
#   idle      CPU of a board left open (target < 1 % of a core) and its
#             RSS (target < 20 MB), over IDLE_SECONDS (default 30);
#   push      an event's commit (deskd's stamp) to the end of the frame
#             that shows it (target < 50 ms), 20 complaints of another desk;
#   frames    a board of 5,000 items scrolled and filtered by keys (target
#             < 16 ms a frame): the mean and the slowest frame.
# The board writes its own timings to DESK_CONSOLE_TRACE; DESK_CONSOLE_ITEMS
# gives it made-up items in place of deskd's list.
#   tests/bench/console_bench.sh build/bin build/test-certs
# shellcheck source-path=SCRIPTDIR source=../cli/lib.sh
source "$(dirname "$0")/../cli/lib.sh" "$1" "$2"
# shellcheck source=../cli/console_lib.sh
source "$(dirname "$0")/../cli/console_lib.sh"
idle_s=${3:-30}

# The desk process of a board's pane.
board_pid() {
  local sh p
  sh=$(tm display -p -t "$1" '#{pane_pid}')
  for _ in $(seq 100); do
    p=$(pgrep -P "$sh" -x desk || true)
    [ -n "$p" ] && { echo "$p"; return; }
    sleep 0.05
  done
  fail "no desk under the pane of $1"
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

start_deskd
add_users clerk:clerk1 clerk:clerk2
login_desk clerk1
export DESK_CONSOLE_TRACE=$tmp/push.trace
board clerk1 idle
wait_screen 10 idle '^online'
p=$(board_pid idle)
sleep 2
t0=$(cpu_ticks "$p")
sleep "$idle_s"
t1=$(cpu_ticks "$p")
hz=$(getconf CLK_TCK)
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$p/status")
awk -v d=$((t1 - t0)) -v hz="$hz" -v s="$idle_s" -v rss="$rss" 'BEGIN {
  printf "CONSOLE idle cpu_pct=%.2f over_s=%d rss_mb=%.1f\n", d / hz / s * 100, s, rss / 1024 }'

# Push to screen: another desk's complaints, one at a time.
: > "$DESK_CONSOLE_TRACE"
for i in $(seq 20); do
  as clerk2 "$desk" complaint new --unit "3-2-$((1200 + i))" --name "王女士" \
    --phone 13800000000 --category noise --text "第${i}件" --demand "处理" >/dev/null
  sleep 0.1
done
wait_screen 5 idle 'complaint:20 '
keys idle q
sleep 0.5
grep '^push-to-screen' "$DESK_CONSOLE_TRACE" | awk '{ print $2 }' | sort -n | awk '
  { v[NR] = $1 } END { printf "CONSOLE push_to_screen n=%d p50_ms=%d max_ms=%d\n", NR, v[int((NR + 1) / 2)], v[NR] }'

# 5,000 items: scroll down and up, page, filter and clear the filter.
export DESK_CONSOLE_TRACE=$tmp/frames.trace DESK_CONSOLE_ITEMS=5000
board clerk1 full
wait_screen 10 full 'Needs me now \(5000\)'
for _ in $(seq 10); do keys full -N 30 j; sleep 0.1; done
for _ in $(seq 5); do keys full -N 20 NPage; sleep 0.1; done
keys full -N 50 k
keys full / '第4' Enter
wait_screen 5 full 'Needs me now \([0-9]+\) ==  filter: 第4'
keys full / C-u Enter
wait_screen 5 full 'Needs me now \(5000\)'
keys full q
for _ in $(seq 100); do grep -q '^frames' "$DESK_CONSOLE_TRACE" 2>/dev/null && break; sleep 0.05; done
awk '/^frames/ { printf "CONSOLE frames_5000 n=%d mean_ms=%.2f max_ms=%.2f\n", $2, $4 / 1000, $7 / 1000 }' "$DESK_CONSOLE_TRACE"

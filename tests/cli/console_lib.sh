# console_lib.sh - what the console's tmux tests share, sourced after
# lib.sh (not named test_*.sh, so it is not a test of its own).  Each board
# runs in a tmux session of a private tmux server, killed at exit.
command -v tmux >/dev/null || fail "tmux is not installed (scripts/deps)"
tsock=$tmp/tmux.sock
tm() { tmux -S "$tsock" "$@"; }
trap 'tm kill-server 2>/dev/null || true; cleanup' EXIT

# login_desk USER: USER's saved session at their own desk ($tmp/cfg-USER).
login_desk() {
  XDG_CONFIG_HOME=$tmp/cfg-$1 expect_rc 0 "$desk" login --user "$1" \
    --password-file "$(pwfile "$1")"
}
# board USER SESSION [LANG] [ARGS...]: USER's `desk console` in a 100x30
# terminal, logged in by the saved session; its exit code goes to
# $tmp/SESSION.rc.
board() { local u=$1 s=$2 lang=${3:-C.UTF-8}; shift 3 || shift $#
  tm new-session -d -s "$s" -x 100 -y 30 \
    "env -u DESK_USER -u DESK_PASSWORD LANG=$lang LC_ALL=$lang TERM=screen-256color \
     XDG_CONFIG_HOME=$tmp/cfg-$u DESK_SERVER=$DESK_SERVER DESK_CA=$DESK_CA \
     ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
     ${DESK_CONSOLE_TRACE:+DESK_CONSOLE_TRACE=$DESK_CONSOLE_TRACE} \
     ${DESK_CONSOLE_ITEMS:+DESK_CONSOLE_ITEMS=$DESK_CONSOLE_ITEMS} \
     $desk console $*; echo \$? > $tmp/$s.rc; sleep 600"
}
# screen SESSION: what the terminal shows now.
screen() { tm capture-pane -p -t "$1"; }
# wait_screen SECONDS SESSION PATTERN: poll the screen for PATTERN (grep -E).
wait_screen() {
  local n=$(( $1 * 20 )) s=$2
  for _ in $(seq "$n"); do
    screen "$s" | grep -qE -- "$3" && return 0
    sleep 0.05
  done
  fail "the board $s showed no '$3' within $1 s:
$(screen "$s")"
}
# wait_gone SECONDS SESSION PATTERN: poll until PATTERN is off the screen.
wait_gone() {
  local n=$(( $1 * 20 )) s=$2
  for _ in $(seq "$n"); do
    screen "$s" | grep -qE -- "$3" || return 0
    sleep 0.05
  done
  fail "the board $s still shows '$3' after $1 s:
$(screen "$s")"
}
# keys SESSION KEYS...: typed at the board (tmux send-keys).
keys() { local s=$1; shift; tm send-keys -t "$s" "$@"; }

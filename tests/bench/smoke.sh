#!/usr/bin/env bash
# smoke.sh BENCH CERTS - run deskd-bench --quick and check that it printed
# every figure with numbers.  Targets are deliberately not checked:
# the bench measures speed, a smoke test must not depend on it.
set -euo pipefail
bench=${1:?usage: smoke.sh BENCH CERTS}
certs=${2:?usage: smoke.sh BENCH CERTS}
out=$("$bench" --quick --certs "$certs")
printf '%s\n' "$out"
num='[0-9]+(\.[0-9]+)?'
for re in "^BENCH throughput creates_per_s=$num " \
    "^BENCH fanout p50_ms=$num p99_ms=$num max_ms=$num " \
    "^BENCH idle kib_per_conn=-?$num " \
    "^BENCH clocks_startup first_request_ms=$num clocks=[0-9]+ .*rss_anon_delta_kib=-?[0-9]+ .*arm_cancel_us=$num empty_arm_cancel_us=$num " \
    "^BENCH clock_fire p50_ms=$num p99_ms=$num max_ms=$num fired=[0-9]+ created=[0-9]+ missing=[0-9]+ " \
    "^BENCH schedule_publish first_ms=$num second_ms=$num people=[0-9]+ assignments=[0-9]+ persons_changed=2 own_changes_only=yes " \
    "^BENCH shift_changed p50_ms=-?[0-9]+ p99_ms=-?[0-9]+ max_ms=-?[0-9]+ watchers=[0-9]+ received=[0-9]+ " \
    "^BENCH unit_show p50_ms=$num p99_ms=$num units=[0-9]+ people=[0-9]+ .*phone_in_data_dir=no id_in_data_dir=no " \
    "^BENCH visitor_in p50_ms=$num p99_ms=$num max_ms=$num calls=[0-9]+ desk_p50_ms=$num " \
    "^BENCH import rows=[0-9]+ seconds=$num rows_per_s=$num deskd_anon_growth_mb=-?$num " \
    "^BENCH export rows=[0-9]+ seconds=$num rows_per_s=$num desk_max_rss_mb=$num " \
    "^BENCH unread heap_growth_kib=-?[0-9]+ .*replies=([0-9]+)/\\1 other_desk_p50_ms=$num p99_ms=$num " \
    "^BENCH login_flood admin_login_p50_ms=$num admin_login_max_ms=$num connect_p50_ms=$num attackers=[0-9]+ " \
    "^BENCH fire_year plan_add_ms=$num tasks=[0-9]+ first_request_ms=$num .*rss_anon_delta_kib=-?[0-9]+ " \
    "^BENCH fire_alert p50_ms=$num p99_ms=$num max_ms=$num alerts=[0-9]+ tasks=[0-9]+ missing=0 " \
    "^BENCH catchup before_p99_ms=$num during_p99_ms=$num after_p99_ms=$num .*stopped_got=([0-9]+)/\\4 in_order=yes dups=0 " \
    "^BENCH report units=[0-9]+ complaints=[0-9]+ events=[0-9]+ load_s=$num month=[0-9-]+ report_p50_ms=$num report_max_ms=$num ledger_p50_ms=$num ledger_max_ms=$num desk_report_mib=$num desk_ledger_mib=$num pdf_ms=$num desk_pdf_mib=$num desk_pdf_anon_mib=$num "; do
  if ! grep -Eq "$re" <<<"$out"; then
    echo "smoke: no line matching '$re'" >&2
    exit 1
  fi
done
# The peer lines, or the note that redis-server is not installed.
if ! grep -q '^BENCH peers skipped=' <<<"$out"; then
  for w in set_32x16 set_32x1 w1_saturation_1 w1_saturation_8; do
    grep -Eq "^BENCH peers $w deskd_per_s=$num redis_per_s=$num ratio=$num " <<<"$out" ||
      { echo "smoke: no peers $w line" >&2; exit 1; }
  done
  grep -Eq "^BENCH peers w1_latency_200_per_s deskd_p50_ms=$num deskd_p99_ms=$num redis_p50_ms=$num redis_p99_ms=$num " <<<"$out" ||
    { echo "smoke: no peers w1_latency line" >&2; exit 1; }
fi

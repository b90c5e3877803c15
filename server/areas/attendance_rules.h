/*
 * attendance_rules.h - the rules of attendance (A1, B1) as pure functions: when a
 * scheduled shift starts and ends, how late or early a clock-in is, and the
 * month's tally per person.  No storage, so they are unit-tested alone.
 */
#ifndef DESKD_ATTENDANCE_RULES_H
#define DESKD_ATTENDANCE_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deskd.pb-c.h"
#include "shift_rules.h"

/* B1: the incoming desk arrives 10 minutes early (reported, not enforced). */
#define ATT_EARLY_MIN		10
/* A clock-in this long before a shift's start counts for that shift; any
 * earlier it is a mistake, not diligence. */
#define ATT_OPEN_BEFORE_MS	((int64_t)2 * 60 * 60 * 1000)
/* A1: the month's attendance goes to HR by this day of the month.  Its
 * submission closes the month up to the cut-off, the end of the day
 * before's last shift (00:00 on the 25th by default): the shifts ended by
 * then are submitted, and the report is due by the end of the 25th. */
#define ATT_REPORT_DAY		25

/* Local date arithmetic on YYYYMMDD; 0 for a date that does not exist. */
uint32_t att_day_add(uint32_t date, int days);
uint32_t att_today(int64_t ms);
/* Local midnight starting date, in ms; -1 for a date that does not exist. */
int64_t	att_day_ms(uint32_t date);
/* Shift s of local day `date`: its start and end in ms (a night shift
 * ends the next day).  -1 for a date that does not exist. */
int	att_shift_span(const struct shift_def *, uint32_t date,
	    int64_t *start_ms, int64_t *end_ms);
/* When the last shift of local day `date` ends (A1, B7, B8: a day, or a
 * month by its last day, is over then); -1 for a date that does not exist. */
int64_t	att_day_end_ms(const struct shift_conf *, uint32_t date);
/* The same for the last day of month YYYYMM. */
int64_t	att_month_end_ms(const struct shift_conf *, uint32_t month);
/* A1: the cut-off of month YYYYMM's submission (see ATT_REPORT_DAY). */
int64_t	att_cutoff_ms(const struct shift_conf *, uint32_t month);
/*
 * A1, A5: every slot of month YYYYMM whose shift has ended by now_ms and
 * whose person differs between the published assignments `old` and the
 * new ones, as a problem ("2026-12-03 morning front: wang -> li").  Past
 * days change only by a correction with a reason.
 */
void	att_check_past(const struct shift_conf *, uint32_t month,
	    Deskd__Assignment *const *old, size_t nold,
	    Deskd__Assignment *const *new, size_t nnew, int64_t now_ms,
	    struct sched_problems *);
/* "2026-12-05 00:00", local time. */
void	att_time_text(char *out, size_t len, int64_t ms);
/* Whole minutes late (after start) and early (before it) of a clock-in. */
void	att_in_minutes(int64_t start_ms, int64_t in_ms, uint32_t *late_min,
	    uint32_t *early_min);
/* Whole minutes a clock-out comes before the shift's end. */
uint32_t att_left_early(int64_t end_ms, int64_t out_ms);

/* The month's rows, one per person, built up then sorted by name. */
struct att_tally {
	Deskd__AttendanceRow	**rows;
	size_t			  n;
};
/* The row of a user, added when new; NULL if out of memory. */
Deskd__AttendanceRow *att_row(struct att_tally *, const char *user);
/* One scheduled shift: its record (NULL: never clocked in) and whether the
 * shift is over at the time of the report. */
void	att_count_shift(struct att_tally *, const char *user,
	    const Deskd__Attendance *, bool over);
/* An approved duty request of the month (A3): a swap counts for both
 * people, a leave for the one who left, a stand-in for the one who stood
 * in.  Others, or another month's, are ignored. */
void	att_count_duty(struct att_tally *, const Deskd__DutyRequest *,
	    uint32_t month);
void	att_tally_sort(struct att_tally *);
/* Drop every row but the user's. */
void	att_tally_keep(struct att_tally *, const char *user);
/* A1: keep in `now` only the corrections of the submitted rows: those
 * whose figures differ, and a zero row for a person submitted and no
 * longer counted. */
void	att_tally_corrections(struct att_tally *now,
	    Deskd__AttendanceRow *const *submitted, size_t n);
/* Frees the rows, their names and the array. */
void	att_tally_free(struct att_tally *);

/* The attendance area's deadline clocks ([clocks] keys): A1 the month's
 * attendance to HR by the 25th; A4 a month with a major holiday published
 * a week before it. */
#define CLOCK_ATTENDANCE_REPORT		"attendance.report_due"
#define CLOCK_HOLIDAY_PUBLISH		"schedule.holiday_publish"

#endif

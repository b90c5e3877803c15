/*
 * attendance_records.c - attendance records (A1): one per person per scheduled
 * shift, keyed by the shift's day and index and the person, so a month's
 * records are one range scan in the report's order.  The submitted mark of
 * a month's report lives in the same database under a key that sorts after
 * every record (0xff first).  Written only inside the transaction that
 * appends the event describing the change.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"

#define USER_MAX	64

/* day<<8|shift, then the user; returns the key's length. */
static size_t
att_key(uint8_t key[8 + USER_MAX], uint32_t date, uint32_t shift,
    const char *user)
{
	size_t len = strnlen(user, USER_MAX);

	store_key_u64(key, (uint64_t)date << 8 | (shift & 0xff));
	memcpy(key + 8, user, len);
	return 8 + len;
}

Deskd__Attendance *
attendance_get(struct store_txn *t, uint32_t date, uint32_t shift,
    const char *user)
{
	uint8_t key[8 + USER_MAX];
	size_t len = att_key(key, date, shift, user);

	return store_get_msg(t, store_dbi(t, DB_ATTENDANCE), key, len,
	    &deskd__attendance__descriptor);
}

void
attendance_put(struct store_txn *t, uint32_t shift, const Deskd__Attendance *a)
{
	uint8_t key[8 + USER_MAX];
	size_t len = att_key(key, a->date, shift, a->user);

	store_put_msg(t, store_dbi(t, DB_ATTENDANCE), key, len, &a->base);
}

/* A record of the month (the submitted marks are 5 bytes long). */
static bool
in_month(const MDB_val *k, const void *arg)
{
	return k->mv_size > 8 &&
	    (store_u64_key(k->mv_data) >> 8) / 100 == *(const uint32_t *)arg;
}

int
attendance_month(struct store_txn *t, uint32_t month, Deskd__Attendance ***out,
    size_t *n)
{
	uint8_t key[8];

	store_key_u64(key, (uint64_t)(month * 100) << 8);
	return store_range(t, DB_ATTENDANCE, key, 8, in_month, &month,
	    &deskd__attendance__descriptor, (void ***)out, n);
}

static void
submit_key(uint8_t key[5], uint32_t month)
{
	key[0] = 0xff;
	key[1] = (uint8_t)(month >> 24);
	key[2] = (uint8_t)(month >> 16);
	key[3] = (uint8_t)(month >> 8);
	key[4] = (uint8_t)month;
}

Deskd__AttendanceReportReply *
attendance_submitted(struct store_txn *t, uint32_t month)
{
	uint8_t key[5];

	submit_key(key, month);
	return store_get_msg(t, store_dbi(t, DB_ATTENDANCE), key, 5,
	    &deskd__attendance_report_reply__descriptor);
}

void
attendance_submit(struct store_txn *t, const Deskd__AttendanceReportReply *r)
{
	uint8_t key[5];

	submit_key(key, r->month);
	store_put_msg(t, store_dbi(t, DB_ATTENDANCE), key, 5, &r->base);
}

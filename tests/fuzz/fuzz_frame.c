/*
 * fuzz_frame.c - the bytes a client may send, as deskd reads them: a stream
 * of frames, each header checked against the 1 MiB limit, each payload
 * unpacked as a Request with the capped allocator and then validated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "validate.h"
#include "wire.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
one_payload(const uint8_t *payload, size_t len)
{
	struct wire_budget budget;
	Deskd__Request *req;
	uint8_t *copy;
	char msg[256];

	/* An exact-size copy, so a read past the payload is an ASan error
	 * rather than a quiet read of the next frame. */
	if ((copy = malloc(len ? len : 1)) == NULL)
		return;
	memcpy(copy, payload, len);
	wire_budget_init(&budget, wire_budget_for(len));
	req = deskd__request__unpack(&budget.allocator, len, copy);
	free(copy);
	if (budget.used > budget.cap)
		abort();
	if (req == NULL) {
		wire_budget_release(&budget);
		return;
	}
	msg[0] = '\0';
	if (validate_fields(&req->base, msg, sizeof(msg)) !=
	    DESKD__STATUS__OK && msg[0] == '\0')
		abort();	/* every refusal says why */
	wire_budget_release(&budget);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	while (size >= WIRE_HEADER_LEN) {
		struct wire_header h;
		uint8_t again[WIRE_HEADER_LEN];

		/* Like conn.c: a bad header ends the stream. */
		if (wire_header_decode(data, WIRE_DEFAULT_MAX_PAYLOAD, &h) !=
		    WIRE_OK)
			return 0;
		/* An accepted header encodes back to the same bytes. */
		wire_header_encode(again, &h);
		if (memcmp(again, data, WIRE_HEADER_LEN) != 0)
			abort();
		data += WIRE_HEADER_LEN;
		size -= WIRE_HEADER_LEN;
		if (h.length > size)
			return 0;	/* a partial frame waits for more */
		one_payload(data, h.length);
		data += h.length;
		size -= h.length;
	}
	return 0;
}

/*
 * fuzz_seeds.c - writes the seed corpus: a few honest requests, as bare
 * payloads (corpus/request) and as frames (corpus/frame), so the fuzzers
 * start from messages the server really accepts instead of having to find
 * the framing and protobuf layout by chance.
 *
 *   fuzz_seeds DIR	writes DIR/frame/... and DIR/request/...
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deskd.pb-c.h"
#include "wire.h"

static const char *dir;

static void
put(const char *sub, const char *name, const uint8_t *buf, size_t len)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name);
	if ((f = fopen(path, "wb")) == NULL)
		err(1, "%s", path);
	if (len > 0 && fwrite(buf, 1, len, f) != len)
		err(1, "%s", path);
	if (fclose(f) != 0)
		err(1, "%s", path);
}

/* Appends one frame of msg to *out. */
static size_t
frame(uint8_t *out, size_t room, uint32_t id, const ProtobufCMessage *msg)
{
	struct wire_header h = { WIRE_VERSION, WIRE_REQUEST, 0, id, 0 };
	size_t len = protobuf_c_message_get_packed_size(msg);

	if (WIRE_HEADER_LEN + len > room)
		errx(1, "seed too large");
	h.length = (uint32_t)len;
	wire_header_encode(out, &h);
	protobuf_c_message_pack(msg, out + WIRE_HEADER_LEN);
	return WIRE_HEADER_LEN + len;
}

static uint8_t	stream[16384];
static size_t	streamlen;

static void
seed(const char *name, const Deskd__Request *req)
{
	static uint32_t id = 1;
	uint8_t buf[4096];
	size_t len;

	len = protobuf_c_message_pack(&req->base, buf);
	put("request", name, buf, len);
	len = frame(buf, sizeof(buf), id, &req->base);
	put("frame", name, buf, len);
	/* One file with every request in a row, as a session sends them. */
	streamlen += frame(stream + streamlen, sizeof(stream) - streamlen, id++,
	    &req->base);
}

int
main(int argc, char **argv)
{
	Deskd__Request req = DESKD__REQUEST__INIT;
	Deskd__Hello hello = DESKD__HELLO__INIT;
	Deskd__Login login = DESKD__LOGIN__INIT;
	Deskd__ComplaintNew cn = DESKD__COMPLAINT_NEW__INIT;
	Deskd__ComplaintStep cs = DESKD__COMPLAINT_STEP__INIT;
	Deskd__Subscribe sub = DESKD__SUBSCRIBE__INIT;
	Deskd__Event ev = DESKD__EVENT__INIT;
	Deskd__Complaint c = DESKD__COMPLAINT__INIT;
	char *prefixes[] = { "complaint.", "user." };
	uint8_t buf[4096];
	size_t len;

	if (argc != 2)
		errx(2, "usage: fuzz_seeds DIR");
	dir = argv[1];

	hello.protocol_version = WIRE_VERSION;
	hello.client_name = "desk 0.1.0";
	hello.desk_name = "前台一号";
	req.body_case = DESKD__REQUEST__BODY_HELLO;
	req.hello = &hello;
	seed("hello", &req);

	login.user = "wang";
	login.password = "correct horse";
	req.body_case = DESKD__REQUEST__BODY_LOGIN;
	req.login = &login;
	seed("login", &req);

	cn.source = "customer";
	cn.unit = "3-502";
	cn.complainant = "王女士";
	cn.phone = "+86 138-0000-0000";
	cn.channel = "phone";
	cn.category = "noise";
	cn.event_time_ms = 1700000000000LL;
	cn.text = "楼上装修噪音，晚上十点后仍在施工。";
	cn.demand = "停止夜间施工";
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_NEW;
	req.complaint_new = &cn;
	seed("complaint_new", &req);

	cs.id = 1;
	cs.action = DESKD__COMPLAINT_ACTION__ACTION_REPLY;
	cs.text = "已联系施工方";
	cs.next_reply_ms = 1800000000000LL;
	req.body_case = DESKD__REQUEST__BODY_COMPLAINT_STEP;
	req.complaint_step = &cs;
	seed("complaint_reply", &req);

	sub.since_seq = 0;
	sub.n_type_prefixes = 2;
	sub.type_prefixes = prefixes;
	req.body_case = DESKD__REQUEST__BODY_SUBSCRIBE;
	req.subscribe = &sub;
	seed("subscribe", &req);

	put("frame", "session", stream, streamlen);

	/* push_event_type runs on the request fuzzer's bytes too: give it a
	 * stored Event, and one with the nested complaint before the type
	 * (legal protobuf, though protoc-c packs in field order). */
	c.id = 1;
	c.complainant = cn.complainant;
	c.text = cn.text;
	ev.seq = 9;
	ev.time_ms = 1700000000000LL;
	ev.actor = "wang";
	ev.type = "complaint.replied";
	ev.record = "complaint:1";
	ev.complaint = &c;
	len = protobuf_c_message_pack(&ev.base, buf);
	put("request", "event", buf, len);

	len = deskd__complaint__get_packed_size(&c);
	if (len > 127)
		errx(1, "sample complaint needs a one-byte length");
	buf[0] = 10 << 3 | 2;
	buf[1] = (uint8_t)len;
	deskd__complaint__pack(&c, buf + 2);
	ev.complaint = NULL;
	len += 2;
	len += deskd__event__pack(&ev, buf + len);
	put("request", "event_complaint_first", buf, len);
	return 0;
}

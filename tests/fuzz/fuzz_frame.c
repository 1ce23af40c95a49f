/*
 * fuzz_frame.c: libFuzzer target for the stream decoder (protocol/frame.c)
 * and the envelope check (message.c).  The input is cut into pieces at
 * sizes taken from its first byte, as a network delivers it, and every
 * complete message is parsed as a request.  Limits are small so that the
 * size and depth refusals are reached often.  Any crash, leak, sanitizer
 * report or broken invariant is a finding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "message.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frame_limits lim = {4096, 8};
	struct frame f;
	size_t step, off = 1;

	if (size == 0)
		return 0;
	step = (size_t)(data[0] % 64) + 1;
	frame_init(&f, &lim);
	while (off < size) {
		size_t n = size - off < step ? size - off : step;
		const msgpack_object *msg;
		struct rpc_error err;
		int rc;

		if (frame_feed(&f, data + off, n) < 0)
			break;
		off += n;
		while ((rc = frame_next(&f, &msg, &err)) == FRAME_MESSAGE) {
			struct message m;

			message_parse(msg, &m, &err);
		}
		if (rc == FRAME_ERROR) {
			if (err.code != RPC_TOO_LARGE && err.code != RPC_TOO_DEEP &&
			    err.code != RPC_PROTOCOL_ERROR)
				abort(); /* a broken stream says why, with one of these */
			break;
		}
	}
	frame_free(&f);
	return 0;
}

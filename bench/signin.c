/*
 * signin.c: what session.auth's `waiting` costs a command (issue 20).
 *
 * dotpha makes one connection per command: it connects, sends server.info,
 * session.auth and the command's read in one write, reads the three
 * answers and closes.  This does exactly that, back to back on one
 * client (C=1: the latency of a command is the figure an office feels),
 * with `waiting` false and true alternating command by command, so that
 * the noise of a shared machine falls on both alike; each side's rate is
 * its commands over the time spent in them.  Then the same two ways for
 * task.get on two connections, one signed in each way, which the counts
 * must not touch at all.  --seconds x --rounds is the time of each,
 * after one uncounted command of each side (the first count of what waits
 * reads from disk; the daemon then keeps it for a minute, inbox.c).
 *
 *   signin --port P --token T --ids FILE [--seconds S] [--rounds R]
 *
 * prints
 *   RESULT workload=conn+auth+task.get waiting=0|1 rps=... p50_us=...
 *   RESULT workload=task.get(signed-in) waiting=0|1 rps=... p50_us=...
 *   RATIO workload=... ratio=RPS1/RPS0
 * and exits 1 if an answer is an error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <msgpack.h>

#include "message.h"
#include "pack.h"

#define MAX_LAT 2000000 /* latencies kept per measurement */

static int port;
static const char *token;
static int64_t *ids;
static size_t nids;
static double seconds = 2;
static int rounds = 6;
static uint64_t seed = 88172645463325252ull;

static void die(const char *what)
{
	fprintf(stderr, "signin: %s%s%s\n", what, errno ? ": " : "", errno ? strerror(errno) : "");
	exit(2);
}

static uint64_t rnd(void)
{
	seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
	return seed;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int connect_to(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("connect");
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static void pack_auth(msgpack_packer *pk, uint32_t id, bool waiting)
{
	message_pack_request_head(pk, id, "session.auth");
	msgpack_pack_map(pk, waiting ? 2 : 1);
	pack_kv_str(pk, "token", token);
	if (waiting)
		pack_kv_bool(pk, "waiting", true);
}

static void pack_task_get(msgpack_packer *pk, uint32_t id)
{
	message_pack_request_head(pk, id, "task.get");
	msgpack_pack_map(pk, 1);
	pack_kv_int(pk, "task", ids[rnd() % nids]);
}

static void send_all(int fd, const msgpack_sbuffer *sb)
{
	size_t off = 0;

	while (off < sb->size) {
		ssize_t n = write(fd, sb->data + off, sb->size - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("write");
		off += (size_t)n;
	}
}

/* Reads n responses from fd; an error answer ends the program. */
static void read_answers(int fd, msgpack_unpacker *up, int n)
{
	msgpack_unpacked m;

	msgpack_unpacked_init(&m);
	while (n > 0) {
		int rc = msgpack_unpacker_next(up, &m);

		if (rc == MSGPACK_UNPACK_SUCCESS) {
			const msgpack_object *o = &m.data;

			if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != 4)
				die("not a response");
			if (o->via.array.ptr[2].type != MSGPACK_OBJECT_NIL) {
				errno = 0;
				die("an error answer (is the token an office's of the ids' scope?)");
			}
			n--;
			continue;
		}
		if (rc != MSGPACK_UNPACK_CONTINUE)
			die("garbled answer");
		if (!msgpack_unpacker_reserve_buffer(up, 65536))
			die("out of memory");
		ssize_t got = read(fd, msgpack_unpacker_buffer(up), 65536);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			die("read");
		msgpack_unpacker_buffer_consumed(up, (size_t)got);
	}
	msgpack_unpacked_destroy(&m);
}

static int cmp_u(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

/* One side of a measurement: waiting false (0) or true (1). */
struct side {
	int fd;                /* the signed-in connection (task.get alone), else -1 */
	msgpack_unpacker up;
	double busy;           /* seconds spent in its requests */
	size_t n;              /* requests answered */
	unsigned *lat;         /* microseconds, n of them (up to MAX_LAT / 2) */
};

static unsigned lat2[2][MAX_LAT / 2];

/* One request of side w: a whole command on a new connection
 * (per_command), or a task.get on its signed-in connection. */
static void one(struct side *sd, int w, bool per_command, msgpack_sbuffer *sb,
		msgpack_packer *pk, uint32_t *id)
{
	double s = now_s(), t;

	msgpack_sbuffer_clear(sb);
	if (per_command) {
		sd->fd = connect_to();
		msgpack_unpacker_destroy(&sd->up);
		if (!msgpack_unpacker_init(&sd->up, 65536))
			die("out of memory");
		message_pack_request_head(pk, (*id)++, "server.info");
		msgpack_pack_map(pk, 0);
		pack_auth(pk, (*id)++, w);
	}
	pack_task_get(pk, (*id)++);
	send_all(sd->fd, sb);
	read_answers(sd->fd, &sd->up, per_command ? 3 : 1);
	if (per_command) {
		close(sd->fd);
		sd->fd = -1;
	}
	t = now_s();
	sd->busy += t - s;
	if (sd->n < MAX_LAT / 2)
		sd->lat[sd->n] = (unsigned)((t - s) * 1e6);
	sd->n++;
}

/* Both sides for `seconds` x rounds, alternating request by request (so a
 * noisy neighbour slows both alike); each side's rate is its requests
 * over the time spent in them. */
static void workload(const char *name, bool per_command)
{
	struct side sd[2];
	msgpack_sbuffer sb;
	msgpack_packer pk;
	uint32_t id = 1;
	double end;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	for (int w = 0; w < 2; w++) {
		memset(&sd[w], 0, sizeof(sd[w]));
		sd[w].fd = -1;
		sd[w].lat = lat2[w];
		if (!msgpack_unpacker_init(&sd[w].up, 65536))
			die("out of memory");
		if (!per_command) {
			sd[w].fd = connect_to();
			msgpack_sbuffer_clear(&sb);
			pack_auth(&pk, id++, w);
			send_all(sd[w].fd, &sb);
			read_answers(sd[w].fd, &sd[w].up, 1);
		}
	}
	/* Warm-up, not counted: the first count of what waits reads the
	 * scope's tasks from disk (an admin's: every task); the daemon keeps
	 * it (inbox.c), and what is measured is the steady state. */
	for (int w = 0; w < 2; w++) {
		one(&sd[w], w, per_command, &sb, &pk, &id);
		sd[w].n = 0;
		sd[w].busy = 0;
	}
	end = now_s() + seconds * rounds;
	for (unsigned k = 0; now_s() < end; k++)
		for (int j = 0; j < 2; j++)
			one(&sd[(k + j) % 2], (int)((k + j) % 2), per_command, &sb, &pk, &id);
	for (int w = 0; w < 2; w++) {
		size_t n = sd[w].n < MAX_LAT / 2 ? sd[w].n : MAX_LAT / 2;

		qsort(sd[w].lat, n, sizeof(unsigned), cmp_u);
		printf("RESULT workload=%s waiting=%d rps=%.1f p50_us=%u p99_us=%u max_us=%u\n",
		       name, w, (double)sd[w].n / sd[w].busy, n ? sd[w].lat[n / 2] : 0,
		       n ? sd[w].lat[n * 99 / 100] : 0, n ? sd[w].lat[n - 1] : 0);
		if (sd[w].fd >= 0)
			close(sd[w].fd);
		msgpack_unpacker_destroy(&sd[w].up);
	}
	printf("RATIO workload=%s ratio=%.4f\n", name,
	       ((double)sd[1].n / sd[1].busy) / ((double)sd[0].n / sd[0].busy));
	fflush(stdout);
	msgpack_sbuffer_destroy(&sb);
}

static void read_ids(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t cap = 1024;
	long long v;

	if (!f)
		die(path);
	ids = malloc(cap * sizeof(*ids));
	while (ids && fscanf(f, "%lld", &v) == 1) {
		if (nids == cap && !(ids = realloc(ids, (cap *= 2) * sizeof(*ids))))
			break;
		ids[nids++] = v;
	}
	fclose(f);
	if (!ids || !nids)
		die("no ids");
}

int main(int argc, char **argv)
{
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--port"))
			port = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--token"))
			token = argv[i + 1];
		else if (!strcmp(argv[i], "--ids"))
			read_ids(argv[i + 1]);
		else if (!strcmp(argv[i], "--seconds"))
			seconds = atof(argv[i + 1]);
		else if (!strcmp(argv[i], "--rounds"))
			rounds = atoi(argv[i + 1]);
		else
			break;
	}
	if (!port || !token || !nids || rounds < 1 || rounds > 64 || seconds <= 0) {
		fputs("usage: signin --port P --token T --ids FILE [--seconds S] [--rounds R]\n",
		      stderr);
		return 2;
	}
	workload("conn+auth+task.get", true);
	workload("task.get(signed-in)", false);
	return 0;
}

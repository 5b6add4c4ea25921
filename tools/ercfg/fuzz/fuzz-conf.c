// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the bytes are apply's FILE, read and checked as
 * "ercfg apply --check FILE" does (conf_read_text(), the same parse and
 * cross-line checks as conf_read(), every error held and printed in line
 * order), with no device looked up, no netlink and no kernel.
 *
 * A FILE that passes is printed back the way apply --dry-run and dump
 * print requests (print_request() in FILE's form) and read again: it must
 * pass again with the same requests, since "ercfg dump > f; ercfg apply f"
 * relies on it. A difference aborts, which libFuzzer reports as a crash.
 *
 * Run with -close_fd_mask=3 (make fuzz-run does): the messages go to a
 * discarded stderr, the sanitizers' reports still come through.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* What a request asks for, not where its words were. */
static bool same_request(const struct request *a, const struct request *b)
{
	return a->cmd == b->cmd && same_str(a->name, b->name) &&
	       a->peering == b->peering && a->have == b->have &&
	       a->encap == b->encap && a->tpid == b->tpid &&
	       a->stag == b->stag && a->ctag == b->ctag &&
	       same_str(a->primary, b->primary) &&
	       same_str(a->secondary, b->secondary) &&
	       a->bandwidth == b->bandwidth && a->sku == b->sku &&
	       a->billing == b->billing &&
	       !memcmp(a->service_key, b->service_key, UUID_LEN) &&
	       !memcmp(a->subnet, b->subnet, sizeof(a->subnet));
}

static void __attribute__((noreturn))
round_trip_failed(const char *text, const char *why, unsigned int line)
{
	fprintf(stderr, "fuzz-conf: printed FILE %s (line %u):\n%s", why, line,
		text);
	abort();
}

/* @conf in FILE's words, read again: the same requests. */
static void round_trip(const struct conf *conf)
{
	struct conf again;
	char *text = NULL;
	size_t len = 0;
	unsigned int i;
	FILE *f;

	f = open_memstream(&text, &len);
	if (!f)
		return;
	for (i = 0; i < conf->n; i++) {
		print_request(f, &conf->l[i].req, true);
		fputc('\n', f);
	}
	if (fclose(f)) {
		free(text);
		return;
	}
	if (conf_read_text("printed", text, len, &again, true))
		round_trip_failed(text, "refused", 0);
	if (again.n != conf->n)
		round_trip_failed(text, "has another number of lines", again.n);
	for (i = 0; i < conf->n; i++) {
		if (!same_request(&conf->l[i].req, &again.l[i].req))
			round_trip_failed(text, "reads differently", i + 1);
	}
	conf_free(&again);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf conf;

	if (conf_read_text("fuzz.conf", (const char *)data, size, &conf, true))
		return 0;
	round_trip(&conf);
	conf_free(&conf);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ERCFG_SHOW_H
#define _ERCFG_SHOW_H

#include <stdbool.h>
#include <stdio.h>
#include <libmnl/libmnl.h>

#include "json.h"
#include "reply.h"

struct nl;
struct request;

/*
 * The NUD_* state of Microsoft's address of @sn on @ifindex: 0 when there
 * is none, or a negative errno.
 */
typedef int (*neigh_lookup_t)(void *ctx, uint32_t ifindex,
			      const struct subnet *sn);

/* An interface's byte counters at the previous round of stats --watch. */
struct rate_sample {
	uint32_t ifindex;
	uint64_t rx_bytes;
	uint64_t tx_bytes;
};

/* Prints circuit-get or stats-get answers, one message at a time. */
struct printer {
	FILE *f;
	bool json;
	bool stats;
	neigh_lookup_t neigh;		/* show: the link addresses' state */
	void *neigh_ctx;
	int error;			/* first failed lookup, -errno */
	unsigned int circuits;		/* printed so far */
	struct json j;
	struct er_port *ports;		/* text stats: each NIC once */
	unsigned int nports;
	unsigned int ports_size;
	/* stats --watch: bits per second since the previous round */
	bool rates;
	double interval;		/* seconds since it; 0: the first */
	const struct rate_sample *prev;
	unsigned int nprev;
	struct rate_sample *cur;	/* this round's, for the next */
	unsigned int ncur;
	unsigned int cur_size;
};

void printer_init(struct printer *p, FILE *f, bool json, bool stats);
/* A printer of single JSON objects, for monitor's events. */
void printer_init_event(struct printer *p, FILE *f);

/*
 * The one JSON writer of each object, for show -j, stats -j and monitor
 * -j alike: its fields, into the object the caller has opened.
 */
void show_json_circuit(struct printer *p, const struct er_reply *r);
void show_json_peering(struct printer *p, const struct er_peering *pe);
void show_json_link(struct printer *p, const struct er_peering *pe,
		    const struct er_link *link);
int printer_cb(const struct nlmsghdr *nlh, void *data);
void printer_finish(struct printer *p);
void printer_free(struct printer *p);

struct nlmsghdr *show_msg(struct nl *nl, const struct request *req);

/* show and stats. 0, or -1 after printing why. */
int do_show(struct nl *nl, const struct request *req);

#endif /* _ERCFG_SHOW_H */

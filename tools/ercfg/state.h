/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What apply, dump and monitor share: the circuits the kernel has, the
 * configuration FILE, and both as struct request, printed in the words of
 * the command line.
 */
#ifndef _ERCFG_STATE_H
#define _ERCFG_STATE_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <net/if.h>

#include "model.h"
#include "reply.h"

struct nl;

/* A circuit as the kernel has it, with its NICs' names. */
struct kcircuit {
	struct er_circuit c;
	char primary[IF_NAMESIZE];
	char secondary[IF_NAMESIZE];
};

struct kstate {
	struct kcircuit *c;
	unsigned int n;
};

/* Every circuit of the namespace (circuit-get dump). 0, or -1 reported. */
int kstate_read(struct nl *nl, struct kstate *ks);
void kstate_free(struct kstate *ks);
struct kcircuit *kstate_find(const struct kstate *ks, const char *name);

/* NIC names of a decoded circuit (if_indextoname, "?" if gone). */
void kcircuit_names(struct kcircuit *kc);

/*
 * The requests that would make them: circuit add with every attribute the
 * kernel reported, peering add with its C-tag and subnets. Strings point
 * into @kc.
 */
void kcircuit_request(const struct kcircuit *kc, struct request *req);
void kpeering_request(const struct kcircuit *kc, const struct er_peering *p,
		      struct request *req);

/*
 * @req in the words of the command line, on one line without the newline.
 * @file_form: "circuit NAME ..." / "peering NAME ..." as in FILE (add
 * requests only); otherwise "circuit add NAME ..." and so on.
 */
void print_request(FILE *f, const struct request *req, bool file_form);

/* One line of FILE. */
struct conf_line {
	unsigned int line;		/* 1-based */
	struct request req;		/* CMD_CIRCUIT_ADD or CMD_PEERING_ADD */
	unsigned int circuit;		/* a peering's circuit: its index in l */
	/* 1-based columns of NAME and of each option's value; 0: none */
	uint16_t name_col;
	uint16_t opt_col[OPT_COUNT];
};

#define CONF_NO_CIRCUIT	UINT_MAX	/* conf_line.circuit: not found */

struct conf {
	const char *file;		/* as given; "<stdin>" for "-" */
	char *text;			/* its contents; the requests point here */
	struct conf_line *l;
	unsigned int n;
	/* check only: every error, "FILE:LINE:COLUMN: ", no devices */
	bool check;
	unsigned int errors;
	const char **broken;		/* circuits whose line has an error */
	unsigned int nbroken;
};

/*
 * Read and check FILE: syntax, the model's rules across lines, devices.
 * 0, or -1 after printing the first error with its line number.
 * @check (apply --check): DEV names are only checked, not looked up, and
 * every error is printed, as FILE:LINE:COLUMN: message.
 */
int conf_read(const char *file, struct conf *conf, bool check);
/*
 * The same for FILE's @len bytes at @buf, FILE called @name ("-":
 * "<stdin>"): what fuzz/fuzz-conf.c feeds. Holds a copy of them.
 */
int conf_read_text(const char *name, const char *buf, size_t len,
		   struct conf *conf, bool check);
void conf_free(struct conf *conf);

#endif /* _ERCFG_STATE_H */

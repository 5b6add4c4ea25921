/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands about the whole state of a namespace: apply FILE, dump and
 * monitor. See state.h for what they share.
 */
#ifndef _ERCFG_APPLY_H
#define _ERCFG_APPLY_H

#include <stdbool.h>

struct conf;
struct nl;

/* "apply", "dump" or "monitor". */
bool is_state_command(const char *word);

/* The words of one of them, as parse_state_command() found them. */
struct state_args {
	const char *cmd;		/* argv[0]: "apply", "dump", "monitor" */
	const char *file;		/* apply's FILE; "-": standard input */
	bool json;			/* -j (monitor) */
	bool dry_run;			/* apply --dry-run */
	bool allow_empty;		/* apply --allow-empty */
	bool check;			/* apply --check */
};

/*
 * argv[0] is the command; @json: -j was given. 0, or -1 after saying why.
 * Opens nothing: FILE is read by run_state_command().
 */
int parse_state_command(int argc, char **argv, bool json,
			struct state_args *sa);
int run_state_command(const struct state_args *sa);

/* @allow_empty: a FILE without circuits may delete every circuit. */
int do_apply(struct nl *nl, const struct conf *conf, bool dry_run,
	     bool allow_empty);
int do_dump(struct nl *nl);
int do_monitor(struct nl *nl, bool json);

#endif /* _ERCFG_APPLY_H */

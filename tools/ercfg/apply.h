/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands about the whole state of a namespace: apply FILE, dump and
 * monitor (commands.c runs them). See state.h for what they share.
 */
#ifndef _ERCFG_APPLY_H
#define _ERCFG_APPLY_H

#include <stdbool.h>

struct conf;
struct nl;

/* The words of apply, as parse_apply() found them. */
struct apply_args {
	const char *file;		/* FILE; "-": standard input */
	bool dry_run;			/* --dry-run */
	bool allow_empty;		/* --allow-empty */
	bool check;			/* --check */
};

/*
 * argv[0] is "apply". 0, or -1 after saying why. Opens nothing: FILE is
 * read by run_apply(), which opens the erdev socket after it (not for
 * --check).
 */
int parse_apply(int argc, char **argv, struct apply_args *a);
int run_apply(const struct apply_args *a);

/* @allow_empty: a FILE without circuits may delete every circuit. */
int do_apply(struct nl *nl, const struct conf *conf, bool dry_run,
	     bool allow_empty);
int do_dump(struct nl *nl);
int do_monitor(struct nl *nl, bool json);

#endif /* _ERCFG_APPLY_H */

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

/* argv[0] is the command; @json: -j was given. 0, or -1 after saying why. */
int run_state_command(int argc, char **argv, bool json);

/* @allow_empty: a FILE without circuits may delete every circuit. */
int do_apply(struct nl *nl, const struct conf *conf, bool dry_run,
	     bool allow_empty);
int do_dump(struct nl *nl);
int do_monitor(struct nl *nl, bool json);

#endif /* _ERCFG_APPLY_H */

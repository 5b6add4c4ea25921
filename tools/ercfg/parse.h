/* SPDX-License-Identifier: GPL-2.0 */
/* parse.c: a command line into a struct request, checked. */
#ifndef _ERCFG_PARSE_H
#define _ERCFG_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

struct command;

extern int parse_word;			/* the argv word of the last error; -1 */
extern bool parse_no_devices;		/* DEV names unresolved: ifindex 0 */
/* The words of commands.c's entry @c, argv[@i] on; see parse.c. */
int parse_request(const struct command *c, int argc, char **argv, int i,
		  struct request *req);
bool valid_circuit_name(const char *name);
const char *shown(const char *word);	/* for a message: escaped, cut */
int parse_vid(const char *str, uint16_t *vid);
int parse_rate(const char *str, uint32_t *mbit);
int parse_uuid(const char *str, uint8_t uuid[UUID_LEN]);

#endif /* _ERCFG_PARSE_H */

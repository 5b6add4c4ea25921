/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal JSON writer: compact output, or indented as iproute2's "-p"
 * indents it (json_pretty, read by json_init), commas handled by the
 * writer. @key is the member name inside an object and NULL inside an
 * array.
 */
#ifndef _ERCFG_JSON_H
#define _ERCFG_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	16

struct json {
	FILE *f;
	unsigned int depth;
	bool pretty;
	bool comma[JSON_MAX_DEPTH];	/* a value was written at that depth */
};

extern bool json_pretty;		/* ercfg -p */

void json_init(struct json *j, FILE *f);
void json_begin_object(struct json *j, const char *key);
void json_end_object(struct json *j);
void json_begin_array(struct json *j, const char *key);
void json_end_array(struct json *j);
void json_string(struct json *j, const char *key, const char *s);
void json_uint(struct json *j, const char *key, uint64_t val);
void json_null(struct json *j, const char *key);
void json_escape(FILE *f, const char *s);

#endif /* _ERCFG_JSON_H */

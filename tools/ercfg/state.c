// SPDX-License-Identifier: GPL-2.0
/*
 * The state apply, dump and monitor work on: the kernel's circuits, read
 * with one circuit-get dump, and the configuration FILE, read and checked
 * as a whole. Both become struct request, the same as a command line, and
 * print_request() writes a request back in the words of the command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "nl.h"
#include "state.h"

#define DUMP_TRIES	5

/* Kernel state */

static int kstate_cb(const struct nlmsghdr *nlh, void *data)
{
	struct kstate *ks = data;
	struct kcircuit *c;
	struct er_reply r;

	if (reply_parse(nlh, &r) || !r.has_circuit) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	c = realloc(ks->c, (ks->n + 1) * sizeof(*c));
	if (!c) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	ks->c = c;
	c = &ks->c[ks->n++];
	memset(c, 0, sizeof(*c));
	c->c = r.circuit;
	kcircuit_names(c);
	return MNL_CB_OK;
}

int kstate_read(struct nl *nl, struct kstate *ks)
{
	int i, ret;

	for (i = 0; i < DUMP_TRIES; i++) {
		memset(ks, 0, sizeof(*ks));
		ret = nl_talk(nl, nl_msg(nl, ERDEV_CMD_CIRCUIT_GET, NLM_F_DUMP),
			      kstate_cb, ks);
		if (!ret)
			return 0;
		kstate_free(ks);
		if (ret != NL_DUMP_INTR)
			return -1;
	}
	errmsg("circuits changed during every dump, try again");
	return -1;
}

void kstate_free(struct kstate *ks)
{
	free(ks->c);
	memset(ks, 0, sizeof(*ks));
}

struct kcircuit *kstate_find(const struct kstate *ks, const char *name)
{
	unsigned int i;

	for (i = 0; i < ks->n; i++) {
		if (!strcmp(ks->c[i].c.name, name))
			return &ks->c[i];
	}
	return NULL;
}

static void ifname(uint32_t ifindex, char buf[IF_NAMESIZE])
{
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "?");
}

void kcircuit_names(struct kcircuit *kc)
{
	ifname(kc->c.primary_ifindex, kc->primary);
	if (has(kc->c.has, ERDEV_A_CIRCUIT_SECONDARY_IFINDEX))
		ifname(kc->c.secondary_ifindex, kc->secondary);
}

void kcircuit_request(const struct kcircuit *kc, struct request *req)
{
	const struct er_circuit *c = &kc->c;

	memset(req, 0, sizeof(*req));
	req->cmd = CMD_CIRCUIT_ADD;
	req->name = c->name;
	req->have = BIT(OPT_ENCAP) | BIT(OPT_TPID) | BIT(OPT_PRIMARY) |
		    BIT(OPT_SKU) | BIT(OPT_BILLING);
	req->encap = c->encap;
	req->tpid = c->tpid;
	req->primary = kc->primary;
	req->primary_ifindex = c->primary_ifindex;
	req->sku = c->sku;
	req->billing = c->billing;
	if (has(c->has, ERDEV_A_CIRCUIT_STAG)) {
		req->have |= BIT(OPT_STAG);
		req->stag = c->stag;
	}
	if (has(c->has, ERDEV_A_CIRCUIT_SECONDARY_IFINDEX)) {
		req->have |= BIT(OPT_SECONDARY);
		req->secondary = kc->secondary;
		req->secondary_ifindex = c->secondary_ifindex;
	}
	if (has(c->has, ERDEV_A_CIRCUIT_BANDWIDTH)) {
		req->have |= BIT(OPT_BANDWIDTH);
		req->bandwidth = c->bandwidth;
	}
	if (has(c->has, ERDEV_A_CIRCUIT_SERVICE_KEY)) {
		req->have |= BIT(OPT_SERVICE_KEY);
		memcpy(req->service_key, c->service_key, UUID_LEN);
	}
}

void kpeering_request(const struct kcircuit *kc, const struct er_peering *p,
		      struct request *req)
{
	memset(req, 0, sizeof(*req));
	req->cmd = CMD_PEERING_ADD;
	req->name = kc->c.name;
	req->peering = p->type;
	req->have = BIT(OPT_CTAG);
	req->ctag = p->ctag;
	memcpy(req->subnet, p->subnet, sizeof(req->subnet));
	if (p->subnet[SN_IPV4_PRIMARY].family ||
	    p->subnet[SN_IPV4_SECONDARY].family)
		req->have |= BIT(OPT_IPV4);
	if (p->subnet[SN_IPV6_PRIMARY].family ||
	    p->subnet[SN_IPV6_SECONDARY].family)
		req->have |= BIT(OPT_IPV6);
}

/* Printing */

static const char *name_or_num(const char *name, uint32_t val, char *buf,
			       size_t size)
{
	if (name)
		return name;
	snprintf(buf, size, "%u", val);
	return buf;
}

/* "ipv4 P/30,S/30": the pair as one value, the form dump can read back. */
static void print_subnets(FILE *f, const char *word,
			  const struct subnet sn[2])
{
	char buf[PREFIX_BUFSIZ];
	const char *sep = "";
	int i;

	fprintf(f, " %s ", word);
	for (i = 0; i < 2; i++) {
		if (!sn[i].family)
			continue;
		fprintf(f, "%s%s", sep, format_subnet(&sn[i], buf));
		sep = ",";
	}
}

static void print_circuit_options(FILE *f, const struct request *req)
{
	char buf[UUID_BUFSIZ > RATE_BUFSIZ ? UUID_BUFSIZ : RATE_BUFSIZ];

	if (req_has(req, OPT_ENCAP))
		fprintf(f, " encap %s", name_or_num(encap_name(req->encap),
						    req->encap, buf,
						    sizeof(buf)));
	if (req_has(req, OPT_TPID))
		fprintf(f, " tpid 0x%04x", req->tpid);
	if (req_has(req, OPT_STAG))
		fprintf(f, " stag %u", req->stag);
	if (req_has(req, OPT_PRIMARY))
		fprintf(f, " primary %s", req->primary);
	if (req_has(req, OPT_SECONDARY))
		fprintf(f, " secondary %s", req->secondary);
	if (req_has(req, OPT_BANDWIDTH))
		fprintf(f, " bandwidth %s", format_rate(req->bandwidth, buf));
	if (req_has(req, OPT_SKU))
		fprintf(f, " sku %s", name_or_num(sku_name(req->sku), req->sku,
						  buf, sizeof(buf)));
	if (req_has(req, OPT_BILLING))
		fprintf(f, " billing %s",
			name_or_num(billing_name(req->billing), req->billing,
				    buf, sizeof(buf)));
	if (req_has(req, OPT_SERVICE_KEY))
		fprintf(f, " service-key %s",
			format_uuid(req->service_key, buf));
}

void print_request(FILE *f, const struct request *req, bool file_form)
{
	static const char *const verbs[] = {
		[CMD_CIRCUIT_ADD] = "add", [CMD_CIRCUIT_SET] = "set",
		[CMD_CIRCUIT_DEL] = "del", [CMD_PEERING_ADD] = "add",
		[CMD_PEERING_DEL] = "del",
	};
	bool peering = req->cmd == CMD_PEERING_ADD ||
		       req->cmd == CMD_PEERING_DEL;
	char buf[16];

	fputs(peering ? "peering" : "circuit", f);
	if (!file_form)
		fprintf(f, " %s", verbs[req->cmd]);
	fprintf(f, " %s", req->name);
	if (peering)
		fprintf(f, " %s", name_or_num(peering_name(req->peering),
					      req->peering, buf, sizeof(buf)));
	switch (req->cmd) {
	case CMD_CIRCUIT_ADD:
	case CMD_CIRCUIT_SET:
		print_circuit_options(f, req);
		break;
	case CMD_PEERING_ADD:
		if (req_has(req, OPT_CTAG))
			fprintf(f, " ctag %u", req->ctag);
		if (req_has(req, OPT_IPV4))
			print_subnets(f, "ipv4", &req->subnet[SN_IPV4_PRIMARY]);
		if (req_has(req, OPT_IPV6))
			print_subnets(f, "ipv6", &req->subnet[SN_IPV6_PRIMARY]);
		break;
	default:
		break;
	}
}

/* The configuration FILE */

/*
 * Bounds on FILE, so that any input (/dev/zero, /dev/urandom, a log file
 * given by mistake) is refused at once and in bounded memory.
 *
 * Size: a file of 2,000 circuits, each with a secondary NIC, bandwidth,
 * sku, billing and service key, and both peerings with IPv4 and IPv6
 * link subnets, in ercfg dump's form with NIC names of 15 bytes and the
 * longest addresses, is about 1 MB (1,035,563 bytes); 4 MiB leaves room
 * for four times that and for comments. Reading stops at the limit + 1st
 * byte: at most CONF_MAX_SIZE + 1 bytes are read and held.
 *
 * Line: the longest line ercfg dump writes is under 200 bytes (188 in that
 * file); 4096 leaves room for any comment, and keeps split_words() small.
 *
 * Bytes: a configuration file is text. NUL and the other control
 * characters are refused, except tab, newline, vertical tab, form feed
 * and carriage return (blanks to split_words(), so a CRLF file reads as
 * it looks); so is DEL. Bytes 0x80..0xff (UTF-8 in comments) are taken.
 */
#define CONF_MAX_SIZE		(4u << 20)
#define CONF_MAX_SIZE_TEXT	"4 MiB"
#define CONF_MAX_LINE		4096
#define READ_CHUNK		65536

static bool text_byte(unsigned char c)
{
	return (c >= 0x20 && c != 0x7f) || c == '\t' || c == '\n' ||
	       c == '\v' || c == '\f' || c == '\r';
}

/* Where a scan of FILE is: its line and the bytes of that line so far. */
struct text_pos {
	unsigned int line;		/* 1-based */
	size_t col;			/* bytes before this one on the line */
};

/* Bytes [0, @len) of FILE, @pos where they start. Prints the error. */
static int check_text(const char *buf, size_t len, struct text_pos *pos)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = buf[i];

		if (c == '\n') {
			pos->line++;
			pos->col = 0;
			continue;
		}
		errmsg_line = pos->line;
		if (!text_byte(c)) {
			errmsg("not a text file (byte \\x%02x at column %zu)",
			       c, pos->col + 1);
			return -1;
		}
		if (++pos->col > CONF_MAX_LINE) {
			errmsg("line longer than %u bytes", CONF_MAX_LINE);
			return -1;
		}
	}
	return 0;
}

/*
 * All of FILE ("-": standard input, called @name in messages), checked by
 * check_text() as it comes, into *@text with a NUL after it.
 */
static int read_all(const char *file, const char *name, char **text)
{
	int fd = strcmp(file, "-") ? open(file, O_RDONLY | O_CLOEXEC) :
		 STDIN_FILENO;
	struct text_pos pos = { .line = 1 };
	size_t len = 0, size = 0;
	char *buf = NULL, *p;
	ssize_t got;
	int ret = -1;

	if (fd < 0) {
		errmsg("cannot open %s: %s", file, strerror(errno));
		return -1;
	}
	errmsg_file = name;
	for (;;) {
		size_t want;

		/* Room for CONF_MAX_SIZE + 1 bytes and the NUL, no more. */
		if (size - len < 2 && size < CONF_MAX_SIZE + 2) {
			size = size ? size * 2 : READ_CHUNK;
			if (size > CONF_MAX_SIZE + 2)
				size = CONF_MAX_SIZE + 2;
			p = realloc(buf, size);
			if (!p) {
				errmsg_line = 0;
				errmsg("out of memory");
				goto out;
			}
			buf = p;
		}
		want = size - 1 - len;
		if (want > READ_CHUNK)
			want = READ_CHUNK;
		got = read(fd, buf + len, want);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			errmsg_line = 0;
			errmsg("cannot read %s: %s", name, strerror(errno));
			goto out;
		}
		if (!got)
			break;
		if (check_text(buf + len, got, &pos))
			goto out;
		len += got;
		if (len > CONF_MAX_SIZE) {
			errmsg_line = 0;
			errmsg("%s: larger than %s, not applied", name,
			       CONF_MAX_SIZE_TEXT);
			goto out;
		}
	}
	buf[len] = '\0';
	*text = buf;
	buf = NULL;
	ret = 0;
out:
	errmsg_file = NULL;
	errmsg_line = 0;
	if (fd != STDIN_FILENO)
		close(fd);
	free(buf);
	return ret;
}

/* Split @line in place into words; "#" starts a comment. */
static int split_words(char *line, char ***words)
{
	char *hash = strchr(line, '#');
	char **w = NULL, **nw, *p = line, *save = NULL;
	int n = 0;

	if (hash)
		*hash = '\0';
	for (p = strtok_r(line, " \t\r\v\f", &save); p;
	     p = strtok_r(NULL, " \t\r\v\f", &save)) {
		/* Room for "add" and the terminating NULL. */
		nw = realloc(w, (n + 3) * sizeof(*w));
		if (!nw) {
			free(w);
			errmsg("out of memory");
			return -1;
		}
		w = nw;
		w[n++] = p;
	}
	*words = w;
	return n;
}

/* One non-empty line: "circuit NAME ..." is "circuit add NAME ...". */
static int parse_line(char **w, int n, struct request *req)
{
	static char add[] = "add";

	if (strcmp(w[0], "circuit") && strcmp(w[0], "peering")) {
		errmsg("unknown word \"%s\" (circuit|peering)", shown(w[0]));
		return -1;
	}
	memmove(&w[2], &w[1], (n - 1) * sizeof(*w));
	w[1] = add;
	w[n + 1] = NULL;
	memset(req, 0, sizeof(*req));
	return parse_command(n + 1, w, req);
}

static int conf_add(struct conf *conf, unsigned int line,
		    const struct request *req)
{
	struct conf_line *l = realloc(conf->l, (conf->n + 1) * sizeof(*l));

	if (!l) {
		errmsg("out of memory");
		return -1;
	}
	conf->l = l;
	conf->l[conf->n].line = line;
	conf->l[conf->n].req = *req;
	conf->n++;
	return 0;
}

static int conf_parse(struct conf *conf)
{
	char *line = conf->text, *next;
	unsigned int lineno = 0;

	for (; line; line = next) {
		struct request req;
		char **w;
		int n, ret = 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		errmsg_line = ++lineno;
		n = split_words(line, &w);
		if (n < 0)
			return -1;
		if (n > 0) {
			ret = parse_line(w, n, &req);
			if (!ret)
				ret = conf_add(conf, lineno, &req);
		}
		free(w);
		if (ret)
			return -1;
	}
	return 0;
}

/* The model's rules across lines */

static bool is_qinq(const struct request *c)
{
	return !req_has(c, OPT_ENCAP) || c->encap == ERDEV_ENCAP_QINQ;
}

static uint16_t tpid_of(const struct request *c)
{
	return req_has(c, OPT_TPID) ? c->tpid : 0x8100;
}

/* The NIC both circuits use, or NULL. */
static const char *shared_nic(const struct request *a, const struct request *b)
{
	uint32_t nics_a[2] = { a->primary_ifindex, a->secondary_ifindex };
	uint32_t nics_b[2] = { b->primary_ifindex, b->secondary_ifindex };
	const char *names_a[2] = { a->primary, a->secondary };
	int i, j;

	for (i = 0; i < 2; i++)
		for (j = 0; j < 2; j++)
			if (nics_a[i] && nics_a[i] == nics_b[j])
				return names_a[i];
	return NULL;
}

static const struct conf_line *find_circuit(const struct conf *conf,
					    const char *name)
{
	unsigned int i;

	for (i = 0; i < conf->n; i++) {
		if (conf->l[i].req.cmd == CMD_CIRCUIT_ADD &&
		    !strcmp(conf->l[i].req.name, name))
			return &conf->l[i];
	}
	return NULL;
}

static int check_circuit(const struct conf *conf, unsigned int i)
{
	const struct request *c = &conf->l[i].req;
	unsigned int j;

	if (c->secondary_ifindex && c->secondary_ifindex == c->primary_ifindex) {
		errmsg("primary and secondary are the same device \"%s\"",
		       shown(c->primary));
		return -1;
	}
	for (j = 0; j < i; j++) {
		const struct request *o = &conf->l[j].req;
		const char *nic;

		if (o->cmd != CMD_CIRCUIT_ADD)
			continue;
		if (!strcmp(o->name, c->name)) {
			errmsg("circuit \"%s\" is already on line %u", c->name,
			       conf->l[j].line);
			return -1;
		}
		nic = shared_nic(c, o);
		if (!nic)
			continue;
		if (is_qinq(c) != is_qinq(o) || tpid_of(c) != tpid_of(o)) {
			errmsg("%s carries circuit \"%s\" (line %u) with encap %s tpid 0x%04x",
			       shown(nic), o->name, conf->l[j].line,
			       is_qinq(o) ? "qinq" : "dot1q", tpid_of(o));
			return -1;
		}
		if (is_qinq(c) && c->stag == o->stag) {
			errmsg("S-tag %u on %s is taken by circuit \"%s\" (line %u)",
			       c->stag, shown(nic), o->name, conf->l[j].line);
			return -1;
		}
	}
	return 0;
}

/* Whether C-tags of peerings of circuits @a and @b must differ. */
static bool ctag_scope(const struct conf_line *a, const struct conf_line *b)
{
	if (a == b)
		return true;
	return !is_qinq(&a->req) && !is_qinq(&b->req) &&
	       shared_nic(&a->req, &b->req);
}

/*
 * Against the peerings before it. Each line knows its circuit already:
 * looking it up here for every pair made a file of 1,000 peerings take
 * seconds.
 */
static int check_peering(const struct conf *conf, unsigned int i)
{
	const struct conf_line *pl = &conf->l[i];
	const struct conf_line *cl = &conf->l[pl->circuit];
	unsigned int j;

	for (j = 0; j < i; j++) {
		const struct conf_line *ol = &conf->l[j];

		if (ol->req.cmd != CMD_PEERING_ADD)
			continue;
		if (ol->circuit == pl->circuit &&
		    ol->req.peering == pl->req.peering) {
			errmsg("peering \"%s %s\" is already on line %u",
			       pl->req.name, peering_name(pl->req.peering),
			       ol->line);
			return -1;
		}
		if (ol->req.ctag == pl->req.ctag &&
		    ctag_scope(cl, &conf->l[ol->circuit])) {
			errmsg("C-tag %u is taken by peering \"%s %s\" (line %u)",
			       pl->req.ctag, ol->req.name,
			       peering_name(ol->req.peering), ol->line);
			return -1;
		}
	}
	return 0;
}

/* The circuit line of peering line @i, or why not. */
static int link_peering(struct conf *conf, unsigned int i)
{
	const struct conf_line *cl = find_circuit(conf, conf->l[i].req.name);

	if (!cl) {
		errmsg("no circuit \"%s\" in %s", conf->l[i].req.name,
		       conf->file);
		return -1;
	}
	conf->l[i].circuit = cl - conf->l;
	return 0;
}

/* Circuits first, in line order, then peerings: a peering may come first. */
static int conf_check(struct conf *conf)
{
	unsigned int i;

	for (i = 0; i < conf->n; i++) {
		errmsg_line = conf->l[i].line;
		if (conf->l[i].req.cmd == CMD_CIRCUIT_ADD &&
		    check_circuit(conf, i))
			return -1;
	}
	for (i = 0; i < conf->n; i++) {
		errmsg_line = conf->l[i].line;
		if (conf->l[i].req.cmd == CMD_PEERING_ADD &&
		    (link_peering(conf, i) || check_peering(conf, i)))
			return -1;
	}
	return 0;
}

int conf_read(const char *file, struct conf *conf)
{
	int ret;

	memset(conf, 0, sizeof(*conf));
	conf->file = strcmp(file, "-") ? file : "<stdin>";
	if (read_all(file, conf->file, &conf->text)) {
		conf->file = NULL;
		return -1;
	}
	errmsg_file = conf->file;
	ret = conf_parse(conf);
	if (!ret)
		ret = conf_check(conf);
	errmsg_file = NULL;
	errmsg_line = 0;
	if (ret)
		conf_free(conf);
	return ret;
}

void conf_free(struct conf *conf)
{
	free(conf->l);
	free(conf->text);
	memset(conf, 0, sizeof(*conf));
}

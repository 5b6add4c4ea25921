// SPDX-License-Identifier: GPL-2.0
/*
 * ercfg apply FILE: make the kernel's circuits and peerings what FILE says.
 *
 * 1. Read and check all of FILE (state.c): nothing is asked of the kernel
 *    before the whole file is known to be good.
 * 2. Read the kernel's circuits and make a plan of ordinary requests,
 *    each remembering how to undo it:
 *      peering del   a peering FILE no longer names, or one whose C-tag or
 *                    subnets changed (it is added again below);
 *      circuit del   a circuit FILE no longer names, or one whose encap,
 *                    TPID, S-tag, NICs or service key changed, or whose
 *                    bandwidth FILE no longer gives (added again below);
 *      circuit set   bandwidth, sku and billing, in place;
 *      circuit add   a circuit that is missing, in FILE's order;
 *      peering add   a peering that is missing, in FILE's order.
 *    Deleting first frees the tags that the additions may take.
 * 3. Run the plan. If the kernel refuses a step, undo the steps done so
 *    far, last first, and report the step with its line in FILE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "config.h"
#include "errmsg.h"
#include "nl.h"
#include "parse.h"
#include "prefix.h"
#include "state.h"

/* A circuit del undoes with a circuit add and its peerings' adds. */
#define MAX_UNDO	(1 + ER_PEERINGS)

struct step {
	struct request req;
	unsigned int line;		/* in FILE; 0: not in FILE */
	struct request undo[MAX_UNDO];
	unsigned int nundo;
};

struct plan {
	struct step *s;
	unsigned int n;
};

/* The plan's five parts, in the order they run. */
enum { PART_PDEL, PART_CDEL, PART_SET, PART_CADD, PART_PADD, PARTS };

struct planner {
	const struct conf *conf;
	const struct kstate *ks;
	struct plan part[PARTS];
	bool *add;			/* by conf line: add it */
};

static struct step *plan_step(struct plan *plan, const struct request *req,
			      unsigned int line)
{
	struct step *s = realloc(plan->s, (plan->n + 1) * sizeof(*s));

	if (!s) {
		errmsg("out of memory");
		return NULL;
	}
	plan->s = s;
	s = &plan->s[plan->n++];
	memset(s, 0, sizeof(*s));
	s->req = *req;
	s->line = line;
	return s;
}

static void undo_add(struct step *s, const struct request *req)
{
	s->undo[s->nundo++] = *req;
}

/* A request naming only the circuit (and peering) of @req. */
static void name_request(const struct request *req, enum ercfg_cmd cmd,
			 struct request *out)
{
	memset(out, 0, sizeof(*out));
	out->cmd = cmd;
	out->name = req->name;
	out->peering = req->peering;
}

static int conf_find(const struct conf *conf, enum ercfg_cmd cmd,
		     const char *name, uint32_t type)
{
	unsigned int i;

	for (i = 0; i < conf->n; i++) {
		const struct request *r = &conf->l[i].req;

		if (r->cmd == cmd && !strcmp(r->name, name) &&
		    (cmd == CMD_CIRCUIT_ADD || r->peering == type))
			return i;
	}
	return -1;
}

/* What FILE says, with the kernel's defaults for what it leaves out. */
static uint32_t want_encap(const struct request *f)
{
	return req_has(f, OPT_ENCAP) ? f->encap : ERDEV_ENCAP_QINQ;
}

static uint16_t want_tpid(const struct request *f)
{
	return req_has(f, OPT_TPID) ? f->tpid : 0x8100;
}

static uint32_t want_sku(const struct request *f)
{
	return req_has(f, OPT_SKU) ? f->sku : ERDEV_SKU_STANDARD;
}

static uint32_t want_billing(const struct request *f)
{
	return req_has(f, OPT_BILLING) ? f->billing : ERDEV_BILLING_METERED;
}

static uint32_t want_dscp(const struct request *f)
{
	return req_has(f, OPT_DSCP) ? f->dscp : dscp_default(f->peering);
}

/* The kernel's dscp: a kernel that reports none has the default. */
static uint32_t kernel_dscp(const struct er_peering *p)
{
	return has(p->has, ERDEV_A_PEERING_DSCP) ? p->dscp :
						  dscp_default(p->type);
}

/* Whether the circuit must be deleted and created again to match @f. */
static bool must_recreate(const struct request *f, const struct er_circuit *c)
{
	bool k_stag = has(c->has, ERDEV_A_CIRCUIT_STAG);
	bool k_sec = has(c->has, ERDEV_A_CIRCUIT_SECONDARY_IFINDEX);
	bool k_key = has(c->has, ERDEV_A_CIRCUIT_SERVICE_KEY);

	if (want_encap(f) != c->encap || want_tpid(f) != c->tpid)
		return true;
	if (req_has(f, OPT_STAG) != k_stag ||
	    (k_stag && f->stag != c->stag))
		return true;
	if (f->primary_ifindex != c->primary_ifindex)
		return true;
	if (req_has(f, OPT_SECONDARY) != k_sec ||
	    (k_sec && f->secondary_ifindex != c->secondary_ifindex))
		return true;
	if (req_has(f, OPT_SERVICE_KEY) != k_key ||
	    (k_key && memcmp(f->service_key, c->service_key, UUID_LEN)))
		return true;
	/* circuit set cannot take a bandwidth away. */
	return !req_has(f, OPT_BANDWIDTH) &&
	       has(c->has, ERDEV_A_CIRCUIT_BANDWIDTH);
}

static bool same_subnet(const struct subnet *a, const struct subnet *b)
{
	if (a->family != b->family)
		return false;
	return !a->family || (a->prefixlen == b->prefixlen &&
			      !memcmp(a->addr, b->addr, subnet_addr_len(a)));
}

static bool same_peering(const struct request *f, const struct er_peering *p)
{
	unsigned int i;

	if (f->ctag != p->ctag)
		return false;
	for (i = 0; i < SN_SLOTS; i++) {
		if (!same_subnet(&f->subnet[i], &p->subnet[i]))
			return false;
	}
	return true;
}

/* circuit set for what differs, undone by a set of the kernel's values. */
static int plan_set(struct planner *pl, const struct conf_line *fl,
		    const struct kcircuit *kc)
{
	const struct request *f = &fl->req;
	const struct er_circuit *c = &kc->c;
	struct request set, undo;
	struct step *s;

	name_request(f, CMD_CIRCUIT_SET, &set);
	name_request(f, CMD_CIRCUIT_SET, &undo);
	if (req_has(f, OPT_BANDWIDTH) &&
	    (!has(c->has, ERDEV_A_CIRCUIT_BANDWIDTH) ||
	     f->bandwidth != c->bandwidth)) {
		set.have |= BIT(OPT_BANDWIDTH);
		set.bandwidth = f->bandwidth;
		if (has(c->has, ERDEV_A_CIRCUIT_BANDWIDTH)) {
			undo.have |= BIT(OPT_BANDWIDTH);
			undo.bandwidth = c->bandwidth;
		}
	}
	if (want_sku(f) != c->sku) {
		set.have |= BIT(OPT_SKU);
		set.sku = want_sku(f);
		undo.have |= BIT(OPT_SKU);
		undo.sku = c->sku;
	}
	if (want_billing(f) != c->billing) {
		set.have |= BIT(OPT_BILLING);
		set.billing = want_billing(f);
		undo.have |= BIT(OPT_BILLING);
		undo.billing = c->billing;
	}
	if (!set.have)
		return 0;
	s = plan_step(&pl->part[PART_SET], &set, fl->line);
	if (!s)
		return -1;
	if (undo.have)
		undo_add(s, &undo);
	return 0;
}

/* peering set for a dscp that differs, undone by a set of the kernel's. */
static int plan_peering_set(struct planner *pl, const struct conf_line *fl,
			    const struct er_peering *p)
{
	struct request set, undo;
	struct step *s;

	if (want_dscp(&fl->req) == kernel_dscp(p))
		return 0;
	name_request(&fl->req, CMD_PEERING_SET, &set);
	name_request(&fl->req, CMD_PEERING_SET, &undo);
	set.have = BIT(OPT_DSCP);
	set.dscp = want_dscp(&fl->req);
	undo.have = BIT(OPT_DSCP);
	undo.dscp = kernel_dscp(p);
	s = plan_step(&pl->part[PART_SET], &set, fl->line);
	if (!s)
		return -1;
	undo_add(s, &undo);
	return 0;
}

/* circuit del, undone by adding it and its peerings again. */
static int plan_circuit_del(struct planner *pl, const struct kcircuit *kc,
			    unsigned int line)
{
	struct request req;
	struct step *s;
	int t;

	name_request(&(struct request){ .name = kc->c.name }, CMD_CIRCUIT_DEL,
		     &req);
	s = plan_step(&pl->part[PART_CDEL], &req, line);
	if (!s)
		return -1;
	kcircuit_request(kc, &req);
	undo_add(s, &req);
	for (t = 0; t < ER_PEERINGS; t++) {
		if (!kc->c.peering[t].present)
			continue;
		kpeering_request(kc, &kc->c.peering[t], &req);
		undo_add(s, &req);
	}
	return 0;
}

static int plan_peering_del(struct planner *pl, const struct kcircuit *kc,
			    const struct er_peering *p, unsigned int line)
{
	struct request add, del;
	struct step *s;

	kpeering_request(kc, p, &add);
	name_request(&add, CMD_PEERING_DEL, &del);
	s = plan_step(&pl->part[PART_PDEL], &del, line);
	if (!s)
		return -1;
	undo_add(s, &add);
	return 0;
}

/* The peerings of a circuit that stays. */
static int plan_peerings(struct planner *pl, const struct kcircuit *kc)
{
	int t;

	for (t = 0; t < ER_PEERINGS; t++) {
		const struct er_peering *p = &kc->c.peering[t];
		int i = conf_find(pl->conf, CMD_PEERING_ADD, kc->c.name, t);

		if (!p->present)
			continue;
		if (i < 0) {
			if (plan_peering_del(pl, kc, p, 0))
				return -1;
			continue;
		}
		if (same_peering(&pl->conf->l[i].req, p)) {
			pl->add[i] = false;
			if (plan_peering_set(pl, &pl->conf->l[i], p))
				return -1;
			continue;
		}
		if (plan_peering_del(pl, kc, p, pl->conf->l[i].line))
			return -1;
	}
	return 0;
}

static int plan_circuit(struct planner *pl, const struct kcircuit *kc)
{
	int i = conf_find(pl->conf, CMD_CIRCUIT_ADD, kc->c.name, 0);
	const struct conf_line *fl;

	if (i < 0)
		return plan_circuit_del(pl, kc, 0);
	fl = &pl->conf->l[i];
	if (must_recreate(&fl->req, &kc->c))
		return plan_circuit_del(pl, kc, fl->line);
	pl->add[i] = false;
	return plan_set(pl, fl, kc) || plan_peerings(pl, kc) ? -1 : 0;
}

/* Additions in FILE's order, each undone by its del. */
static int plan_adds(struct planner *pl)
{
	unsigned int i;

	for (i = 0; i < pl->conf->n; i++) {
		const struct conf_line *fl = &pl->conf->l[i];
		bool circuit = fl->req.cmd == CMD_CIRCUIT_ADD;
		struct request undo;
		struct step *s;

		if (!pl->add[i])
			continue;
		s = plan_step(&pl->part[circuit ? PART_CADD : PART_PADD],
			      &fl->req, fl->line);
		if (!s)
			return -1;
		name_request(&fl->req, circuit ? CMD_CIRCUIT_DEL :
			     CMD_PEERING_DEL, &undo);
		undo_add(s, &undo);
	}
	return 0;
}

static void plan_free(struct plan *plan)
{
	free(plan->s);
	memset(plan, 0, sizeof(*plan));
}

static int make_plan(const struct conf *conf, const struct kstate *ks,
		     struct plan *plan)
{
	struct planner pl = { .conf = conf, .ks = ks };
	unsigned int i, p;
	int ret = -1;

	memset(plan, 0, sizeof(*plan));
	pl.add = calloc(conf->n + 1, sizeof(*pl.add));
	if (!pl.add) {
		errmsg("out of memory");
		return -1;
	}
	for (i = 0; i < conf->n; i++)
		pl.add[i] = true;
	for (i = 0; i < ks->n; i++) {
		if (plan_circuit(&pl, &ks->c[i]))
			goto out;
	}
	if (plan_adds(&pl))
		goto out;
	for (p = 0; p < PARTS; p++) {
		for (i = 0; i < pl.part[p].n; i++) {
			struct step *s = &pl.part[p].s[i];

			if (!plan_step(plan, &s->req, s->line))
				goto out;
			memcpy(plan->s[plan->n - 1].undo, s->undo,
			       sizeof(s->undo));
			plan->s[plan->n - 1].nundo = s->nundo;
		}
	}
	ret = 0;
out:
	for (p = 0; p < PARTS; p++)
		plan_free(&pl.part[p]);
	free(pl.add);
	if (ret)
		plan_free(plan);
	return ret;
}

/* Running it */

static void print_step(const struct request *req)
{
	print_request(stdout, req, false);
	putchar('\n');
}

/* @req as text, for a message; "?" if out of memory. */
static char *request_text(const struct request *req)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return NULL;
	print_request(f, req, false);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Undo steps [0, @n), last first. 0, or -1 if one could not be undone. */
static int roll_back(struct nl *nl, const struct plan *plan, unsigned int n)
{
	int ret = 0;

	while (n--) {
		const struct step *s = &plan->s[n];
		unsigned int u;

		for (u = 0; u < s->nundo; u++) {
			char *text;

			if (!do_config(nl, &s->undo[u]))
				continue;
			text = request_text(&s->undo[u]);
			errmsg("rollback: \"%s\" failed", text ? text : "?");
			free(text);
			ret = -1;
		}
	}
	return ret;
}

static void report_refusal(const struct conf *conf, const struct step *s,
			   unsigned int done, bool rolled_back)
{
	const char *file = conf->file;
	char *text = request_text(&s->req);
	char where[32] = "";

	if (s->line)
		snprintf(where, sizeof(where), ":%u", s->line);
	errmsg("%s%s: the kernel refused \"%s\"%s; %s", file, where,
	       text ? text : "?", s->line ? "" : " (not in the file)",
	       !rolled_back ? "rollback incomplete, see above" :
	       done ? "the changes before it were undone, nothing changed" :
	       "nothing changed");
	free(text);
}

static int run_plan(struct nl *nl, const struct conf *conf,
		    const struct plan *plan)
{
	unsigned int i;

	for (i = 0; i < plan->n; i++) {
		const struct step *s = &plan->s[i];

		if (do_config(nl, &s->req)) {
			int rb = roll_back(nl, plan, i);

			report_refusal(conf, s, i, !rb);
			return -1;
		}
		print_step(&s->req);
	}
	return 0;
}

int do_apply(struct nl *nl, const struct conf *conf, bool dry_run,
	     bool allow_empty)
{
	struct kstate ks;
	struct plan plan;
	unsigned int i;
	int ret = -1;

	if (kstate_read(nl, &ks))
		return -1;
	/*
	 * An empty or truncated erdev.conf on "systemctl reload" would take
	 * the router off Azure: deleting every circuit must be asked for.
	 */
	if (!conf->n && ks.n && !allow_empty) {
		errmsg("%s has no circuits: applying it would delete %u circuit%s; --allow-empty to do that",
		       conf->file, ks.n, ks.n == 1 ? "" : "s");
		errmsg_status = ERCFG_USAGE;
		goto out;
	}
	if (make_plan(conf, &ks, &plan)) {
		errmsg_status = ERCFG_USAGE;
		goto out;
	}
	if (!plan.n) {
		puts("nothing to change");
		ret = 0;
	} else if (dry_run) {
		for (i = 0; i < plan.n; i++)
			print_step(&plan.s[i].req);
		ret = 0;
	} else {
		ret = run_plan(nl, conf, &plan);
	}
	plan_free(&plan);
out:
	kstate_free(&ks);
	return ret;
}

/* The command line of apply */

int parse_apply(int argc, char **argv, struct apply_args *a)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dry-run") && !a->dry_run) {
			a->dry_run = true;
		} else if (!strcmp(argv[i], "--allow-empty") && !a->allow_empty) {
			a->allow_empty = true;
		} else if (!strcmp(argv[i], "--check") && !a->check) {
			a->check = true;
		} else if (!a->file && (argv[i][0] != '-' || !argv[i][1])) {
			a->file = argv[i];
		} else {
			errmsg("unknown word \"%s\"", shown(argv[i]));
			return -1;
		}
	}
	if (!a->file) {
		errmsg("missing FILE (or - for standard input)");
		return -1;
	}
	if (a->check && (a->dry_run || a->allow_empty)) {
		errmsg("--check changes nothing: it takes no \"%s\"",
		       a->dry_run ? "--dry-run" : "--allow-empty");
		return -1;
	}
	return 0;
}

/* apply --check: FILE is good; say what it holds. */
static int print_check(const struct conf *conf)
{
	unsigned int i, circuits = 0;

	for (i = 0; i < conf->n; i++)
		circuits += conf->l[i].req.cmd == CMD_CIRCUIT_ADD;
	printf("%s: good, %u circuit%s, %u peering%s\n", conf->file, circuits,
	       circuits == 1 ? "" : "s", conf->n - circuits,
	       conf->n - circuits == 1 ? "" : "s");
	return 0;
}

int run_apply(const struct apply_args *a)
{
	struct conf conf = { 0 };
	struct nl nl;
	int ret = -1;

	/* Check the whole file before the module is asked anything. */
	if (conf_read(a->file, &conf, a->check)) {
		errmsg_status = ERCFG_USAGE;
		return -1;
	}
	if (a->check) {
		ret = print_check(&conf);
		if (ret)
			errmsg_status = ERCFG_USAGE;
		conf_free(&conf);
		return ret;
	}
	if (!nl_open(&nl)) {
		ret = do_apply(&nl, &conf, a->dry_run, a->allow_empty);
		nl_close(&nl);
	}
	conf_free(&conf);
	return ret;
}

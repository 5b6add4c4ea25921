// SPDX-License-Identifier: GPL-2.0
/*
 * ercfg dump: the circuits and peerings of the namespace in the format of
 * apply's FILE, every attribute spelled out, so that
 * "ercfg dump > f && ercfg apply f" changes nothing.
 */
#include <stdio.h>

#include "apply.h"
#include "state.h"

int do_dump(struct nl *nl)
{
	struct request req;
	struct kstate ks;
	unsigned int i;
	int t;

	if (kstate_read(nl, &ks))
		return -1;
	for (i = 0; i < ks.n; i++) {
		const struct kcircuit *kc = &ks.c[i];

		if (i)
			putchar('\n');
		kcircuit_request(kc, &req);
		print_request(stdout, &req, true);
		putchar('\n');
		for (t = 0; t < ER_PEERINGS; t++) {
			if (!kc->c.peering[t].present)
				continue;
			kpeering_request(kc, &kc->c.peering[t], &req);
			print_request(stdout, &req, true);
			putchar('\n');
		}
	}
	kstate_free(&ks);
	return 0;
}

/*
 * 35-keyctl: the kernel's key store (add_key, keyctl, request_key), shared by
 * every process of a uid and reachable across runs. All must be refused. A
 * key that does get added sits in this process's own keyring and ends with
 * it.
 */
#include "hostile.h"

#include <linux/keyctl.h>

int main(void)
{
	struct h_call calls[] = {
		{ "add_key(user, process keyring)",
		  SYS_add_key,
		  { (long)"user", (long)"forklab-sbx", (long)"x", 1,
		    KEY_SPEC_PROCESS_KEYRING } },
		{ "keyctl(KEYCTL_GET_KEYRING_ID, user keyring)",
		  SYS_keyctl,
		  { KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0 } },
		{ "keyctl(KEYCTL_JOIN_SESSION_KEYRING)",
		  SYS_keyctl,
		  { KEYCTL_JOIN_SESSION_KEYRING, 0 } },
		{ "request_key(user)",
		  SYS_request_key,
		  { (long)"user", (long)"forklab-sbx-none", 0, 0 } },
	};

	h_begin("keyctl: use the kernel's key store");
	h_refuse_all(calls, sizeof(calls) / sizeof(calls[0]));
	return h_finish();
}

/*
 * 32-mount: change the file system tree: mount, umount2, chroot, pivot_root,
 * and the new mount API (fsopen, fsmount, open_tree, move_mount). All must be
 * refused. The paths do not exist and the descriptors are not valid, so even
 * a call that gets through changes nothing: its errno (ENOENT, EBADF) then
 * shows it reached the kernel.
 */
#include "hostile.h"

#define FSOPEN_CLOEXEC_  0x1
#define OPEN_TREE_CLONE_ 0x1
#define AT_FDCWD_        (-100)

int main(void)
{
	const char *nowhere = "no-such-dir";
	struct h_call calls[] = {
		{ "mount(tmpfs)",
		  SYS_mount,
		  { (long)"none", (long)nowhere, (long)"tmpfs", 0, 0 } },
		{ "umount2", SYS_umount2, { (long)nowhere, 0 } },
		{ "chroot", SYS_chroot, { (long)nowhere } },
		{ "pivot_root",
		  SYS_pivot_root,
		  { (long)nowhere, (long)nowhere } },
		{ "fsopen(tmpfs)",
		  SYS_fsopen,
		  { (long)"tmpfs", FSOPEN_CLOEXEC_ } },
		{ "fsmount", SYS_fsmount, { -1, 0, 0 } },
		{ "open_tree(OPEN_TREE_CLONE)",
		  SYS_open_tree,
		  { AT_FDCWD_, (long)nowhere, OPEN_TREE_CLONE_ } },
		{ "move_mount",
		  SYS_move_mount,
		  { -1, (long)"", AT_FDCWD_, (long)nowhere, 0 } },
	};

	h_begin("mount: change the file system tree");
	h_refuse_all(calls, sizeof(calls) / sizeof(calls[0]));
	return h_finish();
}

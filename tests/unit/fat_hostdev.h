/* Block devices for the FAT host tests: a disk image file (pread/pwrite),
 * or a memory buffer (the fuzzer), with optional failure injection. */
#ifndef FAT_HOSTDEV_H
#define FAT_HOSTDEV_H

#include <stddef.h>
#include <stdint.h>
#include <dev/blkdev.h>

struct hostdev {
	struct blkdev bd;
	int fd; /* the image, or -1 for @mem */
	uint8_t *mem;
	long fail_reads;  /* reads left before every read fails; <0: never */
	long fail_writes; /* the same for writes */
	long nreads, nwrites, nflushes;
	uint64_t last_write; /* sector of the latest write */
	int ordered;	     /* cleared when a write goes below the previous one */
};

/* Open @path as a device of 512-byte sectors. @retval 0; -errno */
int hostdev_open(struct hostdev *h, const char *path, int readonly);
/* A device over @len bytes of @mem (rounded down to sectors). */
void hostdev_mem(struct hostdev *h, uint8_t *mem, size_t len);
void hostdev_close(struct hostdev *h);

#endif

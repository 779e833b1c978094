/* Private to plat/linuxu: what platform.c shares with the other files. */
#ifndef PLAT_LINUXU_H
#define PLAT_LINUXU_H

/* The value of the host environment variable @name, or NULL. */
const char *linuxu_host_env(const char *name);

#endif

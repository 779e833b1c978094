/* Private to plat/microvm. */
#ifndef PLAT_MICROVM_H
#define PLAT_MICROVM_H

#include <stdint.h>

void microvm_time_init(uint64_t tsc_hz);

#endif

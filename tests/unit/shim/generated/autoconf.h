/* The configuration host unit tests are built with: warnings and errors
 * are logged (kernel/log.h), nothing else is selected. */
#ifndef GENERATED_AUTOCONF_H
#define GENERATED_AUTOCONF_H

#define CONFIG_LOG_LEVEL 2

#endif

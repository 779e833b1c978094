#include <errno.h>
#include <string.h>
#include <kernel/boot.h>
#include <platform.h>
#include <kernel/compiler.h>

#include "cmdline.h"

/* Cut the next word out of *p in place, split as a POSIX shell splits
 * (without expansions): blanks separate words; '...' is literal; in
 * "..." a backslash escapes only \ and "; elsewhere a backslash escapes
 * the next character. Returns NULL at the end. */
static char *next_word(char **p)
{
	char *s = *p, *w;
	char quote = 0;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (!*s)
		return NULL;
	char *out = w = s;
	for (; *s; s++) {
		if (quote == '\'') {
			if (*s == '\'')
				quote = 0;
			else
				*w++ = *s;
			continue;
		}
		if (*s == '\\' && s[1] && (!quote || s[1] == '"' || s[1] == '\\')) {
			*w++ = *++s;
			continue;
		}
		if (quote == '"') {
			if (*s == '"')
				quote = 0;
			else
				*w++ = *s;
			continue;
		}
		if (*s == '"' || *s == '\'') {
			quote = *s;
			continue;
		}
		if (*s == ' ' || *s == '\t' || *s == '\n') {
			s++;
			break;
		}
		*w++ = *s;
	}
	*w = '\0';
	*p = s;
	return out;
}

int cmdline_split(const char *cmdline, char *buf, size_t buflen, char **argv, int max_args)
{
	char *p = buf, *word;
	int argc = 1, app_start = 1;

	strncpy(buf, cmdline ? cmdline : "", buflen - 1);
	buf[buflen - 1] = '\0';
	argv[0] = CONFIG_APP_NAME;
	while (argc < max_args && (word = next_word(&p))) {
		if (!strcmp(word, "--") && app_start == 1) {
			argc = 1; /* what came before was for the kernel */
			app_start = 0;
			continue;
		}
		argv[argc++] = word;
	}
	argv[argc] = NULL;
	return argc;
}

int kernel_option(const char *name, char *out, size_t len)
{
	static char buf[CMDLINE_MAX_LEN];
	char *p = buf, *word, *value = NULL;
	size_t n = strlen(name);

	strncpy(buf, plat_cmdline(), sizeof(buf) - 1);
	while ((word = next_word(&p))) {
		if (!strcmp(word, "--")) {
			/* Only words before "--" are the kernel's. */
			if (!value)
				return -ENOENT;
			if (strlen(value) >= len)
				return -ENAMETOOLONG;
			strcpy(out, value);
			return 0;
		}
		if (!strncmp(word, name, n) && word[n] == '=')
			value = word + n + 1;
	}
	return -ENOENT; /* without "--" every word is the application's */
}

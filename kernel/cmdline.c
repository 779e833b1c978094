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

/* Put NAME=VALUE in envp[0..*n), replacing an entry of the same name. */
static void env_set(char **envp, int *n, int max, char *word)
{
	size_t name_len = strcspn(word, "=");

	if (!word[name_len] || !name_len)
		return; /* not NAME=VALUE */
	for (int i = 0; i < *n; i++)
		if (!strncmp(envp[i], word, name_len + 1)) {
			envp[i] = word;
			return;
		}
	if (*n < max)
		envp[(*n)++] = word;
}

int cmdline_env(const char *cmdline, char *buf, size_t buflen, char **envp, int max)
{
	char *p = buf, *word, *found[CMDLINE_MAX_ENV];
	int n = 0, nfound = 0;
	size_t used;

	/* Kconfig's words first, then the command line's (copied after). */
	strncpy(buf, CONFIG_ENV, buflen - 1);
	buf[buflen - 1] = '\0';
	used = strlen(buf) + 1;
	while ((word = next_word(&p)))
		env_set(envp, &n, max, word);
	if (used < buflen && cmdline) {
		p = buf + used;
		strncpy(p, cmdline, buflen - used - 1);
		buf[buflen - 1] = '\0';
		/* Only words before a lone "--" are the kernel's: without one,
		 * every word is the application's and none is taken. */
		while ((word = next_word(&p)) && strcmp(word, "--"))
			if (!strncmp(word, "env=", 4) && nfound < CMDLINE_MAX_ENV)
				found[nfound++] = word + 4;
		for (int i = 0; word && i < nfound; i++)
			env_set(envp, &n, max, found[i]);
	}
	envp[n] = NULL;
	return n;
}

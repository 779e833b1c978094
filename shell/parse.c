/* Words and numbers from a shell line. The words are unquoted in place:
 * a word is never longer than the text it came from, so the write pointer
 * never passes the read pointer. */
#include <errno.h>
#include <stdlib.h>
#include <shell/shell.h>

#include "parse.h"

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* After the opening quote: copy up to the closing one. In double quotes,
 * \" and \\ are the only escapes; other backslashes stay. */
static int copy_quoted(char **rp, char **wp, char quote)
{
	char *r = *rp, *w = *wp;

	while (*r && *r != quote) {
		if (quote == '"' && *r == '\\' && (r[1] == '"' || r[1] == '\\'))
			r++;
		*w++ = *r++;
	}
	*wp = w;
	if (!*r)
		return -EINVAL;
	*rp = r + 1;
	return 0;
}

/* Copy one word from *rp to *wp, unquoting; stops at a blank or the end. */
static int copy_word(char **rp, char **wp, const char **why)
{
	char *r = *rp, *w = *wp;
	int err = 0;

	while (*r && !is_blank(*r) && !err) {
		char c = *r++;
		if (c == '\\' && !*r) {
			*why = "the line ends with a backslash";
			err = -EINVAL;
		} else if (c == '\\') {
			*w++ = *r++;
		} else if (c == '\'' || c == '"') {
			err = copy_quoted(&r, &w, c);
			if (err)
				*why = c == '"' ? "unterminated double quote"
						: "unterminated single quote";
		} else {
			*w++ = c;
		}
	}
	*rp = r;
	*wp = w;
	return err;
}

int shell_parse(char *line, char **argv, int max, const char **why)
{
	char *r = line, *w = line;
	int argc = 0;

	*why = NULL;
	for (;;) {
		while (is_blank(*r))
			r++;
		if (!*r || *r == '#')
			break;
		if (argc == max) {
			*why = "too many arguments";
			return -E2BIG;
		}
		argv[argc++] = w;
		int err = copy_word(&r, &w, why);
		if (err)
			return err;
		char end = *r;
		if (end)
			r++; /* the blank that ended the word: w is now behind r */
		*w++ = '\0';
		if (!end)
			break;
	}
	argv[argc] = NULL;
	return argc;
}

int shell_arg_long(const char *s, long min, long max, long *out)
{
	char *end;

	if (!((*s >= '0' && *s <= '9') || (*s == '-' && s[1] >= '0' && s[1] <= '9')))
		return -EINVAL; /* strtol would take blanks, '+' and "" */
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

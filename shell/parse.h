/* Splitting a shell line into words. */
#ifndef SHELL_PARSE_H
#define SHELL_PARSE_H

#define SHELL_ARGS_MAX 32 /* words of one line */

/* Split @line in place into at most @max words, stored in argv[0..argc)
 * with argv[argc] = NULL (argv has room for max + 1 pointers). Words are
 * separated by blanks (space, tab); '...' keeps everything literally;
 * "..." keeps everything but \" and \\, which stand for " and \; a
 * backslash outside quotes makes the next byte literal; a quote in a word
 * joins the parts ("a"'b'c is abc; "" is an empty word). A '#' that begins
 * a word starts a comment to the end of the line.
 * @retval >=0 argc
 * @retval -EINVAL an unterminated quote or a final backslash (*why says)
 * @retval -E2BIG more than @max words (*why says) */
int shell_parse(char *line, char **argv, int max, const char **why);

#endif

/* Standard output carries only what the application writes there: here
 * every byte value, as a compressor's output would; a diagnostic goes to
 * standard error, with the kernel's own log lines. */
#include <stdio.h>

int main(void)
{
	for (int i = 0; i < 256; i++)
		putchar(i);
	fflush(stdout);
	fprintf(stderr, "stdio: a diagnostic on standard error\n");
	return 0;
}

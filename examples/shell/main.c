/* The terminal as an application: main() has nothing to do, and the shell
 * thread (CONFIG_SHELL) keeps the system running after it returns. */
#include <stdio.h>

int main(void)
{
	printf("Unishyper shell: type 'help' for the commands.\n");
	return 0;
}

/* The in-kernel test image: runs every TEST() linked into it (or those whose
 * name starts with argv[1]) and exits with the number of failures. */
#include <kernel/ktest.h>

int main(int argc, char **argv)
{
	int failed = ktest_run(argc > 1 ? argv[1] : "");

	return failed > 100 ? 100 : failed;
}

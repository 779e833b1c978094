/* The power-cut workloads of cut.c: "cutprep", "cut" and "cutcheck". */
#ifndef FS_TEST_CUT_H
#define FS_TEST_CUT_H
int cut_main(int argc, char **argv);
#endif

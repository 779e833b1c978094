app-srcs-y += tools/bench/alloc_bench.c
cflags-examples/bench_alloc/main.c := -Itools/bench

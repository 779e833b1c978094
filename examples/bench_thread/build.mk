app-srcs-y += tools/bench/thread_bench.c
cflags-examples/bench_thread/main.c := -Itools/bench

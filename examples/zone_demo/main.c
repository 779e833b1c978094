/* Zones, shown: two sensor threads, each in a zone of its own, and a
 * logger in the shared zone. Sensor A has a bug: in its first life it
 * writes through a stale pointer into sensor B's calibration table. With
 * zones that write is a fault of A alone: it is recorded, A starts again,
 * and B's table is untouched; the logger never stops.
 *
 *   make APP=zone_demo run
 * (QEMU under TCG, whose -cpu max has protection keys; without them the
 * demo says so and leaves the buggy write out.) Ends "zone_demo: ok". */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/fault.h>
#include <kernel/thread.h>
#include <kernel/zone.h>

#define READINGS 8
#define TABLE 256

struct board { /* in the shared zone: what every thread may use */
	pthread_mutex_t lock;
	int readings[2][READINGS];
	int count[2];
	int *b_table; /* B's private table: a pointer A must not use */
	int a_lives;
};

static struct board *board;

static void post(int sensor, int value)
{
	pthread_mutex_lock(&board->lock);
	board->readings[sensor][board->count[sensor] % READINGS] = value;
	board->count[sensor]++;
	pthread_mutex_unlock(&board->lock);
}

static void *sensor_a(void *arg)
{
	(void)arg;
	int life = ++board->a_lives;

	printf("sensor-a: life %d in zone %d (%s)\n", life, zone_self(), zone_name(zone_self()));
	for (int i = 0; i < READINGS; i++) {
		post(0, 100 * life + i);
		if (life == 1 && i == 3 && zone_available()) {
			printf("sensor-a: writing through a stale pointer into B's table...\n");
			board->b_table[7] = -1; /* the bug */
		}
		thread_sleep_ms(2);
	}
	return NULL;
}

static void *sensor_b(void *arg)
{
	(void)arg;
	int *table = malloc(TABLE * sizeof(int)); /* zone B's own memory */

	for (int i = 0; i < TABLE; i++)
		table[i] = i * i;
	board->b_table = table;
	for (int i = 0; i < 4 * READINGS; i++) {
		post(1, table[i % TABLE]);
		thread_sleep_ms(2);
	}
	int intact = 1;
	for (int i = 0; i < TABLE; i++)
		intact &= table[i] == i * i;
	printf("sensor-b: calibration table %s\n", intact ? "intact" : "DAMAGED");
	return (void *)(long)intact;
}

static void *logger(void *arg)
{
	(void)arg;
	for (int round = 0; round < 6; round++) {
		thread_sleep_ms(8);
		pthread_mutex_lock(&board->lock);
		printf("logger: a=%d readings, b=%d readings\n", board->count[0], board->count[1]);
		pthread_mutex_unlock(&board->lock);
	}
	return NULL;
}

int main(void)
{
	board = zone_alloc(ZONE_SHARED, sizeof(*board));
	pthread_mutex_init(&board->lock, NULL);
	printf("zone_demo: zones %s\n",
	       zone_available() ? "on" : "unavailable (no protection keys)");
	int za = zone_create("sensor-a"), zb = zone_create("sensor-b");
	struct thread_attr b = {.name = "sensor-b", .zone = zb};
	int tb = thread_spawn(&b, sensor_b, NULL);
	while (!__atomic_load_n(&board->b_table, __ATOMIC_ACQUIRE))
		thread_sleep_ms(1);
	struct thread_attr a = {.name = "sensor-a", .zone = za};
	struct thread_attr l = {.name = "logger", .zone = ZONE_SHARED};
	int ta = thread_spawn(&a, sensor_a, NULL);
	int tl = thread_spawn(&l, logger, NULL);
	void *intact = NULL;
	thread_join(tb, &intact);
	thread_join(tl, NULL);
	while (board->count[0] < READINGS)
		thread_sleep_ms(2); /* A's last life finishes its readings */
	(void)ta;
	struct fault_record r[FAULT_LOG_SIZE];
	int n = fault_log_get(r, FAULT_LOG_SIZE);
	for (int i = 0; i < n; i++)
		printf("zone_demo: fault #%llu: thread %d (%s): %s: %s (%s)\n",
		       (unsigned long long)r[i].seq, r[i].tid, r[i].name, r[i].kind, r[i].message,
		       r[i].action);
	int ok = intact == (void *)1 && (!zone_available() || (n == 1 && board->a_lives == 2));
	printf("zone_demo: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}

# Recovery of the allocator's kind (sourced by tests/run.sh, tier
# "recovery"): damaged heaps and misuse of free(), repeated on linuxu and
# QEMU with the heap back at its baseline but for what was quarantined.
# shellcheck shell=bash

recovery_mm_heap() {
	local plat kind cycles
	build recovery-mm-linuxu MACHINE=linuxu APP=recovery_mm || return
	build recovery-mm-microvm MACHINE=qemu APP=recovery_mm || return
	for plat in linuxu microvm; do
		cycles=$([ $plat = linuxu ] && echo 1000 || echo 200)
		# KIND|what the first fault record says|what its note says
		for kind in 'overflow|null pointer at 0x0|heap damaged: 4048 bytes quarantined' \
			'scribble|null pointer at 0x0|heap damaged: 0 bytes quarantined' \
			'dfree|panic: double free of 0x[0-9a-f]+$|' \
			'dfree-large|panic: double free of 0x[0-9a-f]+$|' \
			'badfree|panic: invalid free of 0x[0-9a-f]+$|'; do
			local k=${kind%%|*} rest=${kind#*|} note
			note=${rest#*|}
			boot_case "$plat-mm-$k" $plat recovery_mm 0 "$k" $cycles -- \
				"^fault #1: thread [0-9]+ \(worker\) on CPU [0-9]+: ${rest%%|*}" \
				'^fault #1: thread [0-9]+ \(worker\) restarted as [0-9]+$' \
				${note:+"^fault #1: thread [0-9]+: $note\$"} \
				"^recovery_mm: $k: $cycles faults, $((cycles + 1)) starts" '^recovery_mm: ok$'
		done
	done
}

# CONFIG_HEAP_CHECK: a 4-byte overflow of a 100-byte block, which nothing
# else notices, is caught at free; misuse is still named precisely.
recovery_mm_heapcheck() {
	local plat cycles
	build recovery-mm-heapcheck-linuxu MACHINE=linuxu APP=recovery_mm VARIANT=heapcheck \
		CONFIG_EXTRA="HEAP_CHECK=y" || return
	build recovery-mm-heapcheck-microvm MACHINE=qemu APP=recovery_mm VARIANT=heapcheck \
		CONFIG_EXTRA="HEAP_CHECK=y" || return
	for plat in linuxu microvm; do
		cycles=$([ $plat = linuxu ] && echo 1000 || echo 200)
		boot_case "$plat-mm-heapcheck-small" $plat recovery_mm-heapcheck 0 small $cycles -- \
			'^fault #1: thread [0-9]+ \(worker\) on CPU [0-9]+: panic: overflow detected at free of 0x[0-9a-f]+$' \
			"^recovery_mm: small: $cycles faults" '^recovery_mm: ok$'
		boot_case "$plat-mm-heapcheck-overflow" $plat recovery_mm-heapcheck 0 overflow $cycles -- \
			'^fault #1: thread [0-9]+: heap damaged: [0-9]+ bytes quarantined' \
			"^recovery_mm: overflow: $cycles faults" '^recovery_mm: ok$'
		boot_case "$plat-mm-heapcheck-dfree" $plat recovery_mm-heapcheck 0 dfree 20 -- \
			'^fault #1: thread [0-9]+ \(worker\) on CPU [0-9]+: panic: double free of 0x' \
			'^recovery_mm: ok$'
	done
}

recovery_mm_heap
recovery_mm_heapcheck

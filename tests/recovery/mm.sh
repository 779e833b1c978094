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

recovery_mm_heap

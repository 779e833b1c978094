# shellcheck shell=bash
# What fsck.fat -n may say after a cut: lost clusters (unused chains, or a
# chain longer than its file's size), a stale free count, FAT copies that
# differ, orphaned long-name entries, and for a rename in flight the two
# names of one file.
FSCK_BENIGN='^(fsck\.fat|Checking|Reclaimed|Free cluster summary|Leaving filesystem|Perform changes|There are differences between boot sector|FATs differ|Dirty bit|This is|Automatically|Orphaned|Orphan long file name|Delete|Orphan long file name part|Cluster chain|Not automatically|  Auto-correcting|  Not automatically|  Setting|  Copying|  Truncating file to [0-9]+ bytes\.|  Auto-deleting\.|  Freeing|  Using|  \(|  \[|1\)|2\)|\* |.*: [0-9]+ files, [0-9]+/[0-9]+ clusters$|.*[0-9]+ unused clusters|.*has too many clusters allocated|.*File size is [0-9]+ bytes, cluster chain length is (> )?[0-9]+ bytes\.|[[:space:]]*$|[[:space:]]+[0-9]+:.*|/.*)'

// direction: incoming
// What it does: keeps this side's labels and adds the other side's with a prefix.
// Expected: labels arrive as "blue-<label>", without duplicates.
if (firstSync) {
    issue.projectKey = "SC"
    issue.typeName   = "Task"
}
issue.summary = replica.summary
def remoteLabels = replica.labels.collect { "blue-" + it }
issue.labels = (issue.labels + remoteLabels).unique()

// direction: incoming
// What it does: once the other side labels an issue "frozen", later changes are not applied.
// Expected: after "frozen" is added, a new summary from the other side does not arrive.
if (firstSync) {
    issue.projectKey = "SC"
    issue.typeName   = "Task"
}
if (!firstSync && replica.labels.contains("frozen")) return

issue.summary = replica.summary
issue.labels  = replica.labels

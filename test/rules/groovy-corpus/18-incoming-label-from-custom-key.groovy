// direction: incoming
// What it does: labels the issue with the other side's status, read from a custom key.
// Expected: an issue "In Progress" on the other side gets the label "status-in-progress".
if (firstSync) {
    issue.projectKey = "SC"
    issue.typeName   = "Task"
}
issue.summary = replica.summary
String source = replica.customKeys?."sourceStatus" ?: "unknown"
issue.labels = ["status-" + source.toLowerCase().replace(" ", "-")]

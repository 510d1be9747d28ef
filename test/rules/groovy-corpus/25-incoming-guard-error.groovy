// direction: incoming
// What it does: refuses issues whose summary says FORBIDDEN, with an error the admin sees.
// Expected: such an issue is not created; the Errors page shows the message.
if (replica.summary?.toUpperCase()?.contains("FORBIDDEN")) {
    debug.error("Issue ${replica.key} must not be synced to SC")
}
if (firstSync) {
    issue.projectKey = "SC"
    issue.typeName   = "Task"
}
issue.summary = replica.summary

// direction: incoming
// What it does: writes where the description came from in front of its text.
// Expected: the description reads "Synced from UD-n: <text>".
if (firstSync) {
    issue.projectKey = "SC"
    issue.typeName   = "Task"
}
issue.summary     = replica.summary
issue.description = "Synced from ${replica.key}: ${replica.description}"

// direction: incoming
// What it does: finds the assignee and reporter here by their email address.
// Expected: an assignee who exists on both sites is assigned here too.
if (firstSync) {
    issue.projectKey = "SC"
    issue.typeName   = "Task"
}
issue.summary  = replica.summary
issue.assignee = nodeHelper.getUserByEmail(replica.assignee?.email)
def reporter = nodeHelper.getUserByEmail(replica.reporter?.email)
if (reporter != null) {
    issue.reporter = reporter
}

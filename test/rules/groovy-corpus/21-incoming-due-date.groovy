// direction: incoming
// What it does: copies the due date (Exalate calls it `due`) and the priority by name.
// Expected (with 22 as the other side's outgoing rule): the due date and priority arrive.
if (firstSync) {
    issue.projectKey = "SC"
    issue.typeName   = "Task"
}
issue.summary  = replica.summary
issue.due      = replica.due
issue.priority = nodeHelper.getPriority(replica.priority?.name) ?: issue.priority

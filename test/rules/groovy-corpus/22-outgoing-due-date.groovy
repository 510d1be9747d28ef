// direction: outgoing
// What it does: shares the summary, the due date and the priority.
// Expected: the other side (21) receives the due date.
replica.summary  = issue.summary
replica.due      = issue.due
replica.priority = issue.priority

// direction: outgoing
// What it does: sends the status name in a custom key for the other side's rule (18).
// Expected: the other side turns it into a label.
replica.summary = issue.summary
replica.status  = issue.status
replica.customKeys."sourceStatus" = issue.status.name

// direction: incoming
// What it does: fills defaults when the other side sends nothing; an empty label list counts as nothing, as in Groovy.
// Expected: an issue without labels arrives labelled "unlabelled".
if (firstSync) {
    issue.projectKey = "SC"
    issue.typeName   = "Task"
}
issue.summary = replica.summary ?: "(no summary)"
issue.labels  = replica.labels ?: ["unlabelled"]

// direction: incoming
// What it does: keeps only labels longer than three letters, upper-cased, built in an each loop.
// Expected: "login" arrives as "LOGIN"; "ui" is dropped.
if (firstSync) {
    issue.projectKey = "SC"
    issue.typeName   = "Task"
}
issue.summary = replica.summary
def labels = []
replica.labels.each { label ->
    if (label.size() > 3) {
        labels << label.toUpperCase()
    }
}
issue.labels = labels

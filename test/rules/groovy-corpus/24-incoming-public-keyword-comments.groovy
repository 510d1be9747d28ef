// direction: incoming
// What it does: brings over only comments whose text contains #public (matched with a regex).
// Expected: the #public comment is copied, the other is not.
if (firstSync) {
    issue.projectKey = "SC"
    issue.typeName   = "Task"
}
issue.summary = replica.summary
replica.comments = replica.comments.findAll { it.body =~ /(?i)#public\b/ }
issue.comments = commentHelper.mergeComments(issue, replica)

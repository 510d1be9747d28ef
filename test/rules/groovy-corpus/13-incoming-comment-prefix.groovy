// direction: incoming
// What it does: merges the other side's comments, marking each copy as coming from Blue.
// Expected: each copied comment starts with "[Blue] ".
if (firstSync) {
    issue.projectKey = "SC"
    issue.typeName   = "Task"
}
issue.summary  = replica.summary
issue.comments = commentHelper.mergeComments(issue, replica, { comment ->
    comment.body = "[Blue] " + comment.body
    comment
})

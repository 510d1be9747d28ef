// direction: outgoing
// What it does: only comments that carry the tag [sync] in their text are shared
// (the body is rich text; the test reads the words inside it).
// Expected on the other side: the tagged comment arrives, the untagged one does not.
replica.summary  = issue.summary
replica.comments = issue.comments.findAll { comment ->
    comment.body.contains("[sync]")
}

// direction: outgoing
// What it does: writes each comment's author into its text before sending it.
// Expected on the other side: the copied comment reads "<author> wrote: <text>".
replica.summary  = issue.summary
replica.comments = issue.comments.collect { c ->
    c.body = "${c.author.displayName} wrote: ${c.body}"
    c
}

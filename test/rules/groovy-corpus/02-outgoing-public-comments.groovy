// direction: outgoing
// What it does: internal comments stay on this side; only public ones travel.
// Expected on the other side: the public comment arrives, the internal one does not.
replica.summary     = issue.summary
replica.description = issue.description
replica.labels      = issue.labels
replica.comments    = issue.comments.findAll { !it.internal }

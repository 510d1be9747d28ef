// direction: outgoing
// What it does: normalizes labels (lower case, no "internal"), then adds one that says where the issue came from.
// Expected on the other side: labels are lower-cased, "internal" is gone, "from-blue" is added.
replica.summary = issue.summary
replica.labels  = issue.labels
                    .collect { it.toLowerCase() }
                    .findAll { it != "internal" }
replica.labels += "from-blue"

// direction: outgoing
// What it does: confidential issues share their summary only; `return` stops the rule there.
// Expected on the other side: the summary arrives; the description and labels do not.
replica.summary = issue.summary

if (issue.labels.contains("confidential")) {
    return
}

replica.description = issue.description
replica.labels      = issue.labels

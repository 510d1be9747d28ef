// direction: outgoing
// What it does: masks anything that looks like a card number before the summary leaves.
// Expected on the other side: digits in groups of four are replaced by ****.
replica.summary = issue.summary.replaceAll(/\d{4}-\d{4}-\d{4}-\d{4}/, "****")

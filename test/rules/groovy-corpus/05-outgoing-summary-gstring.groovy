// direction: outgoing
// What it does: prefixes the summary with the issue key, with a GString.
// Expected on the other side: the summary reads "[UD-n] <summary>".
replica.summary     = "[${issue.key}] ${issue.summary}"
replica.description = issue.description
